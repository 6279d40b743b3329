import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent } from '@reins/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runEventfulAgent } from './eventful-run.js';
import { packageRoot, parseJsonOutput, runReins } from './helpers.js';

const tsx = join(packageRoot, 'node_modules/.bin/tsx');
const bin = join(packageRoot, 'src/bin.ts');
let folder: string;
/** The event log of a whole run, line by line. */
let lines: string[];
let runId: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'reins-watch-'));
  const file = join(folder, 'full.events.jsonl');
  const result = await runEventfulAgent({ eventLog: file, runId: 'fix-api-test' });
  runId = result.runId;
  lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The log's lines before the first event of `turn` (its `turn.start`). */
function linesBeforeTurn(turn: number): string[] {
  const index = lines.findIndex((line) => {
    const event = JSON.parse(line) as AgentEvent;
    return event.type === 'turn.start' && event.turn === turn;
  });
  return lines.slice(0, index);
}

/** The id of the call that failed. */
function failedCallId(): string {
  const events = lines.map((line) => JSON.parse(line) as AgentEvent);
  const failed = events.find(
    (event) => event.type === 'tool.end' && event.result.status === 'error',
  );
  return failed?.type === 'tool.end' ? failed.call.id : 'none';
}

describe('reins watch, piped', () => {
  it('writes one plain line per turn, decision with its evidence, interruption, failure and ending', async () => {
    const result = await runReins(['watch', join(folder, 'full.events.jsonl')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout.split('\n');
    expect(out[0]).toBe(`[${runId}] run started: Fix the failing API test.`);
    expect(out).toContain(
      `[${runId}] tool run failed at turn 2: Tool 'run' failed (call ${failedCallId()}): exit status 2: no such file tests/test_api.py`,
    );
    expect(out).toContain(
      `[${runId}] interruption received at turn 3: addition (now) Also check the API docs.`,
    );
    expect(out.some((line) => line.startsWith(`[${runId}] tool run cancelled at turn 3:`))).toBe(
      true,
    );
    expect(out).toContain(
      `[${runId}] decision grant-turns by turn-budget after turn 3: +2 turns: Initial turns used up and the task is not done. {turn=3, allowedTurns=5, turnsLeft=2, granted=2, maxTotal=5, grantedNow=2}`,
    );
    expect(out).toContain(
      `[${runId}] decision stop by turn-budget after turn 5: turn-budget: The turn budget of 5 turns is used up. {turn=5, allowedTurns=5, turnsLeft=0, granted=2, maxTotal=5}`,
    );
    expect(
      out.filter((line) => / turn \d ended: /.test(line)).map((line) => line.split(' ')[2]),
    ).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(out).toContain(`[${runId}] turn 5 ended: 500 in / 50 out tokens, $0.0625 so far`);
    expect(out.at(-2)).toBe(
      `[${runId}] run ended stopped (turn-budget) after 6 turns: 620 in / 58 out tokens, $0.0625`,
    );
  });

  it('follows a log as it grows, a half-written line included, and stops when the run ends', async () => {
    const file = join(folder, 'growing.events.jsonl');
    writeFileSync(file, `${linesBeforeTurn(3).join('\n')}\n`);
    const child = spawn(
      tsx,
      ['--conditions=@reins/source', bin, 'watch', file, '--follow', '--interval', '20'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const closed = new Promise<number>((resolve) =>
      child.on('close', (code) => resolve(code ?? -1)),
    );
    await vi.waitFor(() => expect(stdout).toContain('turn 2 ended'), {
      timeout: 20_000,
      interval: 20,
    });
    const rest = lines.slice(linesBeforeTurn(3).length).join('\n');
    const cut = rest.indexOf('"turn.end"') + 5;
    appendFileSync(file, rest.slice(0, cut)); // a line cut in the middle
    await vi.waitFor(() => expect(stdout).toContain('interruption received at turn 3'), {
      timeout: 20_000,
      interval: 20,
    });
    expect(stdout).not.toContain('turn 3 ended');
    appendFileSync(file, `${rest.slice(cut)}\n`);
    expect(await closed).toBe(0);
    const ended = stdout.split('\n').filter((line) => / turn \d ended: /.test(line));
    expect(ended.map((line) => line.split(' ')[2])).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(stdout.trimEnd().split('\n').at(-1)).toContain('run ended stopped (turn-budget)');
  });

  it('reads a checkpoint folder: status, turn, tokens and cost of each run', async () => {
    const checkpoints = join(folder, 'checkpoints');
    const result = await runEventfulAgent({ checkpoints, runId: 'from-checkpoints' });
    expect(result.status).toBe('stopped');
    const watched = await runReins(['watch', checkpoints]);
    expect(watched.code).toBe(0);
    expect(watched.stdout).toBe(
      '[from-checkpoints] stopped at turn 6: 620 in / 58 out tokens, $0.0625 (turn-budget: The turn budget of 5 turns is used up.)\n',
    );
  });

  it('watches a fleet: every event log and checkpoint of a folder', async () => {
    const fleet = join(folder, 'fleet');
    const other = await runEventfulAgent({ checkpoints: fleet, runId: 'checkpointed-run' });
    expect(other.status).toBe('stopped');
    writeFileSync(join(fleet, 'fix-api-test.events.jsonl'), `${lines.join('\n')}\n`);
    const watched = await runReins(['watch', fleet]);
    expect(watched.code).toBe(0);
    const out = watched.stdout.trimEnd().split('\n');
    expect(out).toContain(
      `[${runId}] run ended stopped (turn-budget) after 6 turns: 620 in / 58 out tokens, $0.0625`,
    );
    expect(out).toContain(
      '[checkpointed-run] stopped at turn 6: 620 in / 58 out tokens, $0.0625 (turn-budget: The turn budget of 5 turns is used up.)',
    );
    // The checkpoint history files (<runId>.<generation>.jsonl) are not read as event logs.
    expect(watched.stderr).toBe('');
  });

  it('names the path and how to make an event log when the path does not exist', async () => {
    const result = await runReins(['watch', join(folder, 'nowhere.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nowhere.jsonl does not exist');
    expect(result.stderr).toContain('recordEventLog(handle, { file })');
  });
});

describe('reins watch, in a terminal', () => {
  const session = `reins-watch-${process.pid}`;
  const capture = () =>
    spawnSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' }).stdout;
  afterAll(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
  });

  it('draws turns, budget left, monitors, interruptions and cost, and redraws as the run goes on', async () => {
    const file = join(folder, 'terminal.events.jsonl');
    writeFileSync(file, `${linesBeforeTurn(4).join('\n')}\n`);
    const command = `${tsx} --conditions=@reins/source ${bin} watch ${file} --follow --interval 50; echo WATCH-EXITED $?; sleep 120`;
    const started = spawnSync(
      'tmux',
      ['new-session', '-d', '-s', session, '-x', '150', '-y', '40', '-c', packageRoot, command],
      { encoding: 'utf8' },
    );
    expect(started.status, started.stderr).toBe(0);
    await vi.waitFor(() => expect(capture()).toContain('LAST DECISION'), {
      timeout: 30_000,
      interval: 100,
    });
    const during = capture();
    expect(during).toContain(`reins watch ${file}: 1 run, 1 running`);
    const row = during.split('\n').find((line) => line.startsWith(runId)) ?? '';
    expect(row.split(/\s{2,}/)).toEqual([
      runId,
      'running',
      '3/5',
      '2 turns',
      '300/30',
      '$0.0375',
      'grant-turns +2 by turn-budget after turn 3',
    ]);
    expect(during).toContain('  task: Fix the failing API test.');
    expect(during).toContain(
      '  turn-budget: budget.extended at turn 3 {turn=3, allowedTurns=5, turnsLeft=2, granted=2, maxTotal=5, grantedNow=2}',
    );
    expect(during).toContain(
      '  interruption: addition (now) received at turn 3: Also check the API docs.',
    );
    expect(during).toContain(
      '  interruption: addition (now) applied at turn 3: Also check the API docs.',
    );
    expect(during).toContain('  failed tool calls: 1');
    expect(during).not.toContain('WATCH-EXITED');

    appendFileSync(file, `${lines.slice(linesBeforeTurn(4).length).join('\n')}\n`);
    await vi.waitFor(() => expect(capture()).toContain('WATCH-EXITED 0'), {
      timeout: 30_000,
      interval: 100,
    });
    const after = capture();
    expect(after).toContain(`reins watch ${file}: 1 run, 0 running`);
    const finalRow = after.split('\n').find((line) => line.startsWith(runId)) ?? '';
    expect(finalRow.split(/\s{2,}/)).toEqual([
      runId,
      'stopped',
      '6/5',
      '0 turns',
      '620/58',
      '$0.0625',
      'stop turn-budget by turn-budget after turn 5',
    ]);
    expect(after).toContain(
      '  turn-budget: budget.exhausted at turn 5 {turn=5, allowedTurns=5, turnsLeft=0',
    );
    expect(after).toContain('  ended: turn-budget: The turn budget of 5 turns is used up.');
    // The screen was redrawn in place: the header appears once.
    expect(after.match(/LAST DECISION/g)).toHaveLength(1);
  });
});

describe('reins report --events', () => {
  it("writes a page of the run's timeline: each turn with its decisions and their evidence", async () => {
    const out = join(folder, 'run.html');
    const result = await runReins([
      'report',
      '--events',
      join(folder, 'full.events.jsonl'),
      '--out',
      out,
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(parseJsonOutput(result)).toMatchObject({ report: out, runs: 1, events: lines.length });
    const html = readFileSync(out, 'utf8');
    expect(html.match(/<tr data-turn=/g)).toHaveLength(6);
    expect(html).toContain('<b>stop</b> <span class="muted">by turn-budget</span>');
    expect(html).toContain('<span class="key">turnsLeft</span> 0');
  });

  it('asks for --data and --policy, or --events', async () => {
    const result = await runReins(['report', '--out', join(folder, 'x.html')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--events EVENTS.jsonl');
  });
});
