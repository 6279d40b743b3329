import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionTurn, createView, numbered, silentTurn } from '../test/replay.js';
import type { Finding } from './monitor.js';
import { createStuckMonitor } from './stuck-monitor.js';
import { type TurnRecord, toObservedTurn } from './turn-record.js';

function findings(records: readonly TurnRecord[], options = {}): Finding[] {
  const session = createStuckMonitor(options).open({ runId: 'r', task: 't' });
  const view = createView();
  return records.flatMap((record) => session.observe(toObservedTurn(record), view) ?? []);
}

const patterns = (records: readonly TurnRecord[]) =>
  findings(records).map((finding) => `${finding.turn}:${finding.pattern}`);

describe('createStuckMonitor', () => {
  it('fires on the 4th identical action with the identical observation (OpenHands)', () => {
    const same = Array.from({ length: 4 }, (_, index) =>
      actionTurn(index + 1, 'pytest', '1 failed'),
    );
    expect(patterns(same.slice(0, 3))).toEqual([]);
    const found = findings(same);
    expect(found.map((finding) => finding.pattern)).toEqual(['repeating-action-observation']);
    expect(found[0]?.action).toContain('pytest');
    expect(found[0]?.evidence).toMatchObject({ repeats: 4, threshold: 4 });
  });

  it('fires on the 3rd identical failing action', () => {
    const failing = Array.from({ length: 3 }, (_, index) =>
      actionTurn(index + 1, 'make', `error ${index}`, 'error'),
    );
    expect(patterns(failing)).toEqual(['3:repeating-action-error']);
  });

  it('fires on 3 turns without action, and on A-B-A-B-A-B', () => {
    expect(patterns(numbered([silentTurn(0), silentTurn(0), silentTurn(0)]))).toEqual([
      '3:monologue',
    ]);
    const alternating = numbered(
      Array.from({ length: 6 }, (_, index) =>
        index % 2 === 0 ? actionTurn(0, 'cd a', 'ok') : actionTurn(0, 'cd b', 'no'),
      ),
    );
    expect(patterns(alternating)).toEqual(['6:alternating-pattern']);
  });

  it('fires on 10 context-window errors in a row', () => {
    const cut = numbered(
      Array.from({ length: 10 }, () => ({
        text: '',
        actions: [],
        observations: [],
        finishReason: 'length',
      })),
    );
    expect(
      findings(cut, { monologue: 0 }).map((finding) => `${finding.turn}:${finding.pattern}`),
    ).toEqual(['10:context-window-loop']);
  });

  it('catches a loop whose timestamps and durations change, but not paging through a file', () => {
    const loop = numbered(
      Array.from({ length: 4 }, (_, index) =>
        actionTurn(
          0,
          `curl -s localhost:800${index}/health`,
          `[12:00:0${index}] status=503 latency=${index * 7}ms retry in ${index}s`,
        ),
      ),
    );
    expect(patterns(loop)).toEqual(['4:near-duplicate-loop']);
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const words = Array.from(
      { length: 400 },
      (_, index) =>
        `w${String.fromCharCode(97 + (index % 26))}${String.fromCharCode(97 + Math.floor(index / 26))}x`,
    );
    const file = Array.from(
      { length: 160 },
      () =>
        `    ${words[next() % 400]} = self.${words[next() % 400]}(${words[next() % 400]}, ${words[next() % 400]})`,
    );
    const paging = numbered(
      Array.from({ length: 4 }, (_, index) =>
        actionTurn(
          0,
          `sed -n '${index * 40},${index * 40 + 40}p' big.py`,
          file.slice(index * 40, index * 40 + 40).join('\n'),
        ),
      ),
    );
    expect(patterns(paging)).toEqual([]);
  });

  it('never fires when every action differs from the others', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{3,12}$/), { minLength: 1, maxLength: 30 }),
        (commands) => {
          const records = commands.map((command, index) =>
            actionTurn(index + 1, `${command} --flag`, `${command} output`),
          );
          expect(findings(records, { nearDuplicate: 0 })).toEqual([]);
        },
      ),
    );
  });

  it('continues from a snapshot exactly as without one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', ''), { minLength: 1, maxLength: 25 }),
        fc.nat(),
        (script, cut) => {
          const records = script.map((command, index) =>
            command === ''
              ? silentTurn(index + 1)
              : actionTurn(index + 1, command, `out ${command}`),
          );
          const split = cut % (records.length + 1);
          const monitor = createStuckMonitor();
          const view = createView();
          const whole = monitor.open({ runId: 'r', task: 't' });
          const expected = records.flatMap(
            (record) => whole.observe(toObservedTurn(record), view) ?? [],
          );
          const first = monitor.open({ runId: 'r', task: 't' });
          const before = records
            .slice(0, split)
            .flatMap((record) => first.observe(toObservedTurn(record), view) ?? []);
          const state = JSON.parse(JSON.stringify(first.snapshot()));
          const second = monitor.open({ runId: 'r', task: 't', state });
          const after = records
            .slice(split)
            .flatMap((record) => second.observe(toObservedTurn(record), view) ?? []);
          expect([...before, ...after]).toEqual(expected);
        },
      ),
    );
  });
});
