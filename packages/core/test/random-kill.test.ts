import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, RunResult, ToolCall } from '../src/index.js';

/*
 * The write-ahead guarantee, attacked: worker processes running several runs each are
 * SIGKILLed at random instants (random delays, or right after the n-th side effect), resumed
 * in a new process (which may be killed again), and finished. Whatever the instant, every side
 * effect belongs to a tool call in the final history, a repeated effect repeats under the same
 * call id, never a new one, and a step whose tools had effects is never asked of the model
 * again.
 */

const here = dirname(fileURLToPath(import.meta.url));
const temporary = mkdtempSync(join(tmpdir(), 'reins-kill-'));
/** The fixture and the package sources it imports, bundled into one plain script. */
const script = join(temporary, 'effect-runs.mjs');
const children = new Set<ChildProcess>();

beforeAll(async () => {
  // Bundled once, so that each of the ~30 worker processes starts in a fraction of the time a
  // TypeScript loader needs. The bundle is built from the sources (`@reins/source`).
  await build({
    entryPoints: [join(here, 'fixtures', 'effect-runs.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@reins/source'],
    outfile: script,
    logLevel: 'silent',
  });
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(temporary, { recursive: true, force: true });
});

const rounds = 10;
const runsPerRound = 6;
const seed = Number(process.env.REINS_KILL_SEED ?? 20261125);

/** A small deterministic generator (mulberry32), so that a failing schedule can be replayed. */
function random(state: number): () => number {
  let value = state >>> 0;
  return () => {
    value = (value + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(value ^ (value >>> 15), 1 | value);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly output: Promise<{ results: Record<string, RunResult>; fresh: string[] }>;
  readonly exited: Promise<void>;
}

/** Starts the fixture as a plain `node` process: the one that does the work is the one killed. */
function startWorker(args: readonly string[]): Worker {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: temporary,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = new Promise<{ results: Record<string, RunResult>; fresh: string[] }>(
    (resolve, reject) => {
      child.once('exit', (code, signal) => {
        if (code === 0) resolve(JSON.parse(stdout.slice('ready\n'.length)));
        else reject(new Error(`effect-runs ${args[0]} exited with ${code ?? signal}: ${stderr}`));
      });
    },
  );
  output.catch(() => {});
  return { child, ready, output, exited };
}

interface EffectLine {
  readonly runId: string;
  readonly phase: 'ask' | 'start' | 'effect' | 'end';
  readonly item: string;
  readonly callId: string;
}

function readEffects(path: string): EffectLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [runId, phase, item, callId] = line.split(' ') as [
        string,
        EffectLine['phase'],
        string,
        string,
      ];
      return { runId, phase, item, callId };
    });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Kills the worker after `delayMs` from its `ready`, or as soon as the log has `lines` lines. */
async function killWorker(
  worker: Worker,
  trigger: { delayMs: number } | { lines: number; effects: string },
): Promise<void> {
  await Promise.race([worker.ready, worker.exited]);
  if ('delayMs' in trigger) await pause(trigger.delayMs);
  else {
    while (worker.child.exitCode === null && readEffects(trigger.effects).length < trigger.lines)
      await pause(1);
  }
  worker.child.kill('SIGKILL');
  await worker.exited;
}

/** What each run was doing when its process was killed, from its side-effect log. */
function classify(lines: readonly EffectLine[], runIds: readonly string[]) {
  return runIds.map((runId) => {
    const own = lines.filter((line) => line.runId === runId);
    const ended = new Set(own.filter((line) => line.phase === 'end').map((line) => line.callId));
    const open = own.filter((line) => line.phase === 'start' && !ended.has(line.callId));
    return {
      runId,
      finishedTools: ended.size >= 9,
      inToolWindow: open.length > 0,
      inTurnOne: own.every((line) => line.item.startsWith('1')),
      inLaterToolWindow: open.some((line) => !line.item.startsWith('1')),
      effectNotEnded: own.some((line) => line.phase === 'effect' && !ended.has(line.callId)),
    };
  });
}

function expectConsistentHistory(messages: readonly Message[]): ToolCall[] {
  const calls: ToolCall[] = [];
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index];
    if (message?.role === 'tool')
      expect(['assistant', 'tool'], 'a tool result follows its call').toContain(
        messages[index - 1]?.role,
      );
    if (message?.role !== 'assistant') continue;
    const answered: string[] = [];
    for (let next = index + 1; messages[next]?.role === 'tool'; next++)
      answered.push((messages[next] as Extract<Message, { role: 'tool' }>).toolCallId);
    expect(answered, 'each tool call has exactly one result').toEqual(
      message.toolCalls.map((call) => call.id),
    );
    calls.push(...message.toolCalls);
  }
  expect(new Set(calls.map((call) => call.id)).size, 'call ids are unique in the run').toBe(
    calls.length,
  );
  return calls;
}

async function runRound(round: number, next: () => number) {
  const folder = join(temporary, `round${round}`);
  const checkpoints = join(folder, 'checkpoints');
  const effects = join(folder, 'effects.log');
  mkdirSync(folder, { recursive: true });
  writeFileSync(effects, '');
  const runIds = Array.from({ length: runsPerRound }, (_, index) => `r${round}_${index}`);
  const starts = runIds.map((runId) => `${runId}:${Math.floor(next() * 120)}`);

  // First crash: after a random delay, or right after the n-th line of the effect log (n = 1
  // is inside turn 1's tool window).
  const first = startWorker(['run', checkpoints, effects, starts.join(',')]);
  await killWorker(
    first,
    round % 3 === 0
      ? { delayMs: Math.floor(next() * 600) }
      : { lines: 1 + Math.floor(next() * 120), effects },
  );
  const killed = classify(readEffects(effects), runIds);

  // Second crash, during the resume, in most rounds.
  if (round % 3 !== 2) {
    const second = startWorker(['resume', checkpoints, effects, runIds.join(',')]);
    const logged = readEffects(effects).length;
    await killWorker(
      second,
      round % 2 === 0
        ? { delayMs: Math.floor(next() * 400) }
        : { lines: logged + 1 + Math.floor(next() * 60), effects },
    );
    killed.push(...classify(readEffects(effects), runIds));
  }

  const before = readEffects(effects);
  const final = startWorker(['resume', checkpoints, effects, runIds.join(',')]);
  const { results, fresh } = await final.output;
  const lines = readEffects(effects);
  for (const runId of runIds) {
    const result = results[runId] as RunResult;
    expect(result.status, runId).toBe('done');
    expect(result.output).toBe('All items are charged.');
    const calls = expectConsistentHistory(result.messages);
    expect(calls.map((call) => JSON.parse(call.arguments).item).sort()).toEqual(
      ['1a', '1b', '1c', '2a', '2b', '2c', '3a', '3b', '3c'].sort(),
    );
    const byId = new Map(calls.map((call) => [call.id, call]));
    const done = lines.filter((line) => line.runId === runId && line.phase === 'effect');
    for (const effect of done) {
      const call = byId.get(effect.callId);
      expect(call, `effect ${effect.item} of ${runId} ran as ${effect.callId}`).toBeDefined();
      expect(JSON.parse((call as ToolCall).arguments).item).toBe(effect.item);
    }
    // Write-ahead: once a tool of turn N had its effect, turn N is never asked of the model again.
    const own = lines.filter((line) => line.runId === runId);
    own.forEach((line, index) => {
      if (line.phase !== 'ask') return;
      const earlier = own
        .slice(0, index)
        .find((effect) => effect.phase === 'effect' && effect.item.startsWith(line.item));
      expect(earlier, `${runId} asked turn ${line.item} again after its effects`).toBeUndefined();
    });
    for (const item of new Set(done.map((effect) => effect.item))) {
      const ids = new Set(done.filter((effect) => effect.item === item).map((e) => e.callId));
      expect([...ids], `${runId} ran ${item} under one id`).toHaveLength(1);
    }
    // A run without a checkpoint, started over, had not run a tool yet.
    if (fresh.includes(runId))
      expect(
        before.filter((line) => line.runId === runId && line.phase !== 'ask'),
        `${runId} started over`,
      ).toEqual([]);
  }
  return killed;
}

describe('random kills', () => {
  it(`keeps every side effect under one call id across ${rounds} rounds of SIGKILLs`, async () => {
    const next = random(seed);
    const schedule = Array.from({ length: rounds }, (_, round) => round);
    const killed: ReturnType<typeof classify> = [];
    // Two rounds at a time: each round is three processes, one after another.
    for (let index = 0; index < schedule.length; index += 3) {
      const outcomes = await Promise.all(
        schedule.slice(index, index + 3).map((round) => runRound(round, next)),
      );
      for (const outcome of outcomes) killed.push(...outcome);
    }
    const midRun = killed.filter((run) => !run.finishedTools);
    if (process.env.REINS_KILL_STATS)
      writeFileSync(
        process.env.REINS_KILL_STATS,
        JSON.stringify({
          total: killed.length,
          midRun: midRun.length,
          tool: midRun.filter((r) => r.inToolWindow).length,
          later: midRun.filter((r) => r.inLaterToolWindow).length,
          turnOneTool: midRun.filter((r) => r.inTurnOne && r.inToolWindow).length,
          effectNotEnded: midRun.filter((r) => r.effectNotEnded).length,
        }),
      );
    // The attack must have landed where it hurts, not only before or after the work.
    expect(midRun.length, `seed ${seed}`).toBeGreaterThanOrEqual(50);
    expect(midRun.filter((run) => run.inToolWindow).length, `seed ${seed}`).toBeGreaterThan(5);
    expect(midRun.filter((run) => run.inTurnOne && run.inToolWindow).length).toBeGreaterThan(0);
    expect(midRun.filter((run) => run.inLaterToolWindow).length).toBeGreaterThan(0);
    expect(midRun.filter((run) => run.effectNotEnded).length).toBeGreaterThan(0);
  }, 120_000);
});
