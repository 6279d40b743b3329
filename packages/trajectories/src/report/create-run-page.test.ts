import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createController, createTurnBudget } from '@reins/controller';
import { createAgent, defineTool } from '@reins/core';
import { createScriptedBackend, type ScriptedResponse } from '@reins/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TrajectoryFormatError } from '../errors/trajectory-format-error.js';
import { parseEventLog, readEventLog, recordEventLog } from '../event-log.js';
import { createRunPage } from './create-run-page.js';
import { toRunTimelines } from './run-timeline.js';

const shell = defineTool({
  name: 'run',
  description: 'Runs a command.',
  input: z.object({ command: z.string() }),
  execute: async ({ command }, { signal }) => {
    if (command === 'fail') throw new Error('exit status 2: no such file <tests/test_api.py>');
    if (command === 'wait')
      return new Promise<string>((_, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    return `ran ${command}`;
  },
});
const act = (command: string): ScriptedResponse => ({
  toolCalls: [{ name: 'run', arguments: { command } }],
  usage: { inputTokens: 100, outputTokens: 10 },
});

let folder: string | undefined;
afterEach(() => {
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

/** A run with a failed tool, an urgent interruption, an extension and a stop, logged to a file. */
async function loggedRun(file: string) {
  const backend = createScriptedBackend({
    responses: [
      act('ls'),
      act('fail'),
      act('wait'),
      act('pytest'),
      act('pytest -x'),
      { text: 'One test fails.' },
    ],
  });
  const controller = createController({
    budget: createTurnBudget({ mode: 'dynamic', initial: 3, extension: 2 }),
  });
  const handle = createAgent({ backend, tools: [shell], controller }).run(
    'Fix the <script>alert(1)</script> test.',
  );
  recordEventLog(handle, { file });
  handle.on('tool.start', (event) => {
    if (event.call.arguments.includes('wait'))
      handle.interrupt({ kind: 'addition', text: 'Also check the API docs.', urgency: 'now' });
  });
  return handle.result;
}

describe('event log and run page', () => {
  it('logs every event but deltas, one per line, and reads them back in order', async () => {
    folder = mkdtempSync(join(tmpdir(), 'reins-events-'));
    const file = join(folder, 'logs', 'events.jsonl');
    const result = await loggedRun(file);
    const events = await readEventLog(file);
    expect(events[0]?.type).toBe('run.start');
    expect(events.at(-1)).toMatchObject({ type: 'run.end', result: { status: result.status } });
    expect(events.some((event) => event.type === 'model.delta')).toBe(false);
    expect(events.filter((event) => event.type === 'turn.start')).toHaveLength(6);
  });

  it('draws each turn with its calls and every decision with its evidence', async () => {
    folder = mkdtempSync(join(tmpdir(), 'reins-events-'));
    const file = join(folder, 'events.jsonl');
    await loggedRun(file);
    const events = await readEventLog(file);
    const [timeline] = toRunTimelines(events);
    expect(timeline?.turns.map((turn) => turn.tools.map((tool) => tool.status))).toEqual([
      ['ok'],
      ['error'],
      ['cancelled'],
      ['ok'],
      ['ok'],
      [],
    ]);
    // The extension after turn 3, and the stop after turn 5, in the turns they followed.
    const names = (turn: number) => timeline?.turns[turn - 1]?.entries.map((entry) => entry.name);
    expect(names(3)).toEqual([
      'interrupt.received',
      'inject',
      'interrupt.applied',
      'grant-turns',
      'budget.extended',
      'inject',
    ]);
    expect(names(5)).toEqual(['budget.exhausted', 'stop']);
    const stop = timeline?.turns[4]?.entries.find((entry) => entry.name === 'stop');
    expect(stop).toMatchObject({
      kind: 'decision',
      source: 'turn-budget',
      evidence: { turnsLeft: 0, allowedTurns: 5 },
    });

    const html = createRunPage({ events, source: file });
    expect(html.match(/<tr data-turn=/g)).toHaveLength(6);
    expect(html).toContain(
      '<span class="status stopped">stopped</span> (turn-budget) after 6 turns',
    );
    expect(html).toContain(
      '<b>grant-turns</b> <span class="muted">by turn-budget</span>: +2 turns',
    );
    expect(html).toContain('<span class="key">turnsLeft</span> 0');
    expect(html).toContain('<b>interrupt.received</b>: addition (now): Also check the API docs.');
    expect(html).toContain('no such file &lt;tests/test_api.py&gt;');
    // Text from the run is escaped: no markup of its own reaches the page.
    expect(html).not.toContain('<script>');
    expect(html).toContain('Fix the &lt;script&gt;alert(1)&lt;/script&gt; test.');
  });

  it('draws a run that has not ended, and one section per run of a fleet', async () => {
    folder = mkdtempSync(join(tmpdir(), 'reins-events-'));
    const file = join(folder, 'events.jsonl');
    await loggedRun(file);
    await loggedRun(file);
    const events = await readEventLog(file);
    const html = createRunPage({ events });
    expect(html.match(/<section class="run"/g)).toHaveLength(2);
    expect(html).toContain('<nav>');
    const running = createRunPage({ events: events.slice(0, 12) });
    expect(running).toContain('<span class="status running">running</span>');
  });

  it('leaves out a last line still being written, and names the line that is not an event', () => {
    const line = JSON.stringify({ type: 'turn.start', runId: 'r1', turn: 1, at: 5 });
    expect(parseEventLog(`${line}\n{"type":"turn.end","ru`, 'events.jsonl')).toHaveLength(1);
    let error: unknown;
    try {
      parseEventLog(`${line}\n{"type":"turn.end"}\n`, 'events.jsonl');
    } catch (caught) {
      error = caught;
    }
    expect(TrajectoryFormatError.isInstance(error)).toBe(true);
    expect(String((error as Error).message)).toContain('events.jsonl:2');
    expect(String((error as Error).message)).toContain('recordEventLog');
  });
});
