import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createController } from '../src/create-controller.js';
import { fromHistory } from '../src/from-history.js';
import { createInterventionPolicy } from '../src/intervention-policy.js';
import { createStuckMonitor } from '../src/stuck-monitor.js';
import { handMadeRuns, writeHandMadeRuns } from './hand-made-runs.js';
import {
  loadMiniSweAgentRun,
  loadMiniSweAgentRuns,
  type MiniSweAgentRun,
  miniSweAgentRoot,
  requireData,
} from './mini-swe-agent.js';
import { replay } from './replay.js';

interface Firing {
  readonly run: string;
  readonly turn: number;
  readonly pattern: string;
  readonly action: string | null;
}

/** The recorded runs. */
let runs: MiniSweAgentRun[];
/** The recorded runs and the hand-made ones: what the stuck tests count on. */
let stuckRuns: MiniSweAgentRun[];
let firings: Firing[];

/** The raw assistant messages of a run, read again from the file, independently of the loader. */
function rawAssistantMessages(run: MiniSweAgentRun): { content: string; next: string }[] {
  const raw = JSON.parse(readFileSync(run.file, 'utf8')) as {
    messages: { role: string; content: string }[];
  };
  const result: { content: string; next: string }[] = [];
  raw.messages.forEach((message, index) => {
    if (message.role === 'assistant')
      result.push({ content: message.content, next: raw.messages[index + 1]?.content ?? '' });
  });
  return result;
}

function commandsOf(content: string): string[] {
  const commands: string[] = [];
  let rest = content;
  for (;;) {
    const start = rest.indexOf('```bash');
    if (start < 0) return commands;
    const bodyStart = rest.indexOf('\n', start) + 1;
    const end = rest.indexOf('\n```', bodyStart);
    if (end < 0) return commands;
    commands.push(rest.slice(bodyStart, end));
    rest = rest.slice(end + 4);
  }
}

describe('on the 306 recorded mini-swe-agent runs, and hand-made runs for the stuck patterns', () => {
  beforeAll(() => {
    runs = loadMiniSweAgentRuns();
    const handMade = writeHandMadeRuns();
    stuckRuns = [
      ...runs,
      ...handMade.files.map((file) => loadMiniSweAgentRun(file, handMade.reports)),
    ];
    // Report only: no ladder, so every run is replayed to its end.
    const controller = createController({
      monitors: [createStuckMonitor()],
      interventions: createInterventionPolicy({ escalation: {} }),
      hints: false,
    });
    firings = [];
    for (const run of stuckRuns) {
      const { events } = replay(controller, run.records, { runId: run.id, modelId: run.model });
      for (const event of events) {
        if (event.name !== 'stuck.detected') continue;
        firings.push({
          run: run.id,
          turn: Number(event.evidence.turn),
          pattern: String(event.evidence.pattern),
          action: typeof event.evidence.action === 'string' ? event.evidence.action : null,
        });
      }
    }
    // Replaying 306 runs takes seconds; on a busy machine more than the default hook limit.
  }, 120_000);

  it('loads every trajectory with its report, turns matching the recorded api_calls', () => {
    expect(runs).toHaveLength(306);
    for (const run of runs) expect(run.turns).toBe(run.apiCalls);
    expect(runs.filter((run) => run.resolved).length).toBeGreaterThan(0);
  });

  it('lists the stuck firings with turn and repeated action, each confirmed in the raw file', () => {
    // The list a reader can check by hand (also in the package README).
    const listing = firings.map(
      (firing) =>
        `${firing.run} turn ${firing.turn} ${firing.pattern}${firing.action === null ? '' : ` :: ${firing.action.split('\n')[0]}`}`,
    );
    expect(listing.length).toBe(firings.length);
    expect(firings.length).toBeGreaterThan(0);
    for (const firing of firings) {
      const run = stuckRuns.find((candidate) => candidate.id === firing.run) as MiniSweAgentRun;
      const raw = rawAssistantMessages(run);
      expect(firing.turn).toBeLessThanOrEqual(raw.length);
      if (firing.pattern === 'monologue') {
        // Three turns in a row that the harness rejected: not exactly one command.
        for (const offset of [0, 1, 2]) {
          const message = raw[firing.turn - 1 - offset] as { content: string; next: string };
          expect(commandsOf(message.content).length).not.toBe(1);
        }
      } else {
        const window =
          firing.pattern === 'alternating-pattern'
            ? 6
            : firing.pattern === 'repeating-action-error'
              ? 3
              : 4;
        const commands = raw
          .slice(firing.turn - window, firing.turn)
          .map((message) => commandsOf(message.content));
        for (const list of commands) expect(list).toHaveLength(1);
        // The action shown is the newest command; for an alternation, the two alternating ones.
        const newest = (commands.at(-1) as string[])[0] as string;
        const before = (commands.at(-2) as string[])[0] as string;
        const shown =
          firing.pattern === 'alternating-pattern'
            ? `bash ${before}\nbash ${newest}`
            : `bash ${newest}`;
        expect(firing.action).toBe(shown.slice(0, 200));
        if (firing.pattern === 'near-duplicate-loop') {
          const stripped = commands.map((list) => (list[0] as string).replace(/\d+/g, '#'));
          expect(new Set(stripped).size).toBeLessThan(commands.length);
        }
      }
    }
  });

  it('finds exactly the runs with three rejected turns in a row, by an independent count', () => {
    const expected: string[] = [];
    for (const run of stuckRuns) {
      let streak = 0;
      rawAssistantMessages(run).forEach((message, index) => {
        streak = commandsOf(message.content).length === 1 ? 0 : streak + 1;
        if (streak >= 3) expected.push(`${run.id}@${index + 1}`);
      });
    }
    const found = firings
      .filter((firing) => firing.pattern === 'monologue')
      .map((firing) => `${firing.run}@${firing.turn}`);
    expect(found).toEqual(expected);
  });

  it('fires on the hand-made runs exactly where their construction says, and nowhere else', () => {
    for (const run of handMadeRuns) {
      const fired = firings
        .filter((firing) => firing.run === run.id)
        .map((firing) => `${firing.turn} ${firing.pattern}`);
      expect({ run: run.id, fired }).toEqual({ run: run.id, fired: run.firings });
    }
    // The recorded runs only ever show monologues; each other pattern fires somewhere above.
    const patterns = new Set(firings.map((firing) => firing.pattern));
    for (const pattern of [
      'monologue',
      'repeating-action-observation',
      'alternating-pattern',
      'near-duplicate-loop',
    ])
      expect(patterns).toContain(pattern);
  });

  it('reports exact repetition exactly where four identical command/output pairs occur', () => {
    const expected: string[] = [];
    for (const run of stuckRuns) {
      const raw = rawAssistantMessages(run);
      for (let end = 4; end <= raw.length; end++) {
        const window = raw.slice(end - 4, end);
        const keys = window.map((message) => {
          const commands = commandsOf(message.content);
          return commands.length === 1 ? `${commands[0]}\u0000${message.next}` : null;
        });
        if (keys.every((key) => key !== null && key === keys[0])) expected.push(`${run.id}@${end}`);
      }
    }
    // Hand-computed: only the exact loop of the hand-made runs (turns 2–5); none recorded.
    expect(expected).toEqual(['handmade__exact-loop@5']);
    const found = firings
      .filter((firing) => firing.pattern === 'repeating-action-observation')
      .map((firing) => `${firing.run}@${firing.turn}`);
    expect(found).toEqual(expected);
  });

  it('tells paging through a file (new line numbers, new output) from a near-duplicate loop', () => {
    // Independent: four commands in a row equal once digits are ignored.
    const candidates: { run: MiniSweAgentRun; end: number }[] = [];
    for (const run of stuckRuns) {
      const raw = rawAssistantMessages(run);
      for (let end = 4; end <= raw.length; end++) {
        const commands = raw.slice(end - 4, end).map((message) => commandsOf(message.content));
        if (!commands.every((list) => list.length === 1)) continue;
        const stripped = new Set(commands.map((list) => (list[0] as string).replace(/\d+/g, '#')));
        const exact = new Set(commands.map((list) => list[0]));
        if (stripped.size === 1 && exact.size > 1) candidates.push({ run, end });
      }
    }
    // Hand-computed: the polling loop (both windows of four) and the hand-made paging run.
    const handMade = candidates
      .filter(({ run }) => run.id.startsWith('handmade__'))
      .map(({ run, end }) => `${run.id}@${end}`);
    expect(handMade).toEqual([
      'handmade__polling-loop@4',
      'handmade__polling-loop@5',
      'handmade__paging@4',
    ]);
    for (const { run, end } of candidates) {
      const outputs = rawAssistantMessages(run)
        .slice(end - 4, end)
        .map((message) => message.next);
      const fired = firings.some(
        (firing) =>
          firing.run === run.id && firing.turn === end && firing.pattern === 'near-duplicate-loop',
      );
      // Paging shows different text each time; a loop shows (nearly) the same text.
      const distinctOutputs = new Set(outputs.map((output) => output.replace(/\d+/g, '#'))).size;
      expect(fired).toBe(distinctOutputs === 1);
    }
  });

  it('builds the P75 fixed budget equal to the recorded percentile and an independent computation', () => {
    const budget = fromHistory(
      runs.map((run) => ({ model: run.model, turns: run.turns, resolved: run.resolved })),
      { percentile: 0.75 },
    );
    const model = runs[0]?.model as string;
    expect(Object.keys(budget.limits)).toEqual([model]);
    // Independent: nearest-rank percentile over the raw files' assistant message counts.
    const counts = runs.map((run) => rawAssistantMessages(run).length).sort((a, b) => a - b);
    const nearestRank = counts[Math.ceil(0.75 * counts.length) - 1];
    const readme = readFileSync(
      requireData(path.resolve(miniSweAgentRoot, '../../README.md')),
      'utf8',
    );
    const recorded = Number(/p75 (\d+)/.exec(readme)?.[1]);
    expect(recorded).toBeGreaterThan(0);
    expect(budget.limits[model]).toBe(nearestRank);
    expect(budget.limits[model]).toBe(recorded);
  });

  it('stops, under that budget, exactly the runs that took more turns than the limit', () => {
    const budget = fromHistory(runs.map((run) => ({ model: run.model, turns: run.turns })));
    const controller = createController({ budget, hints: false });
    let stopped = 0;
    let expected = 0;
    const limit = budget.pooledLimit;
    for (const run of runs) {
      const { stoppedAt, stop } = replay(controller, run.records, {
        runId: run.id,
        modelId: run.model,
      });
      if (stop !== undefined) {
        stopped += 1;
        expect(stop.reason).toBe('turn-budget');
        expect(stoppedAt).toBe(limit);
      }
      if (rawAssistantMessages(run).length > limit) expected += 1;
    }
    expect(stopped).toBe(expected);
  });
});
