/**
 * The fleet example as a function: two worker processes, a batch of triage runs, progress, a
 * hard interrupt sent from this process, and one worker SIGKILLed mid-run. Returns what
 * happened, for `main.ts` to explain and for the smoke test to check.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRunQueue, type RunSummary } from '@reins/bullmq';
import type { AgentEvent } from '@reins/core';
import { Redis } from 'ioredis';

/** Options of {@link runFleetDemo}. */
export interface FleetDemoOptions {
  /** The Redis to use. */
  readonly redisUrl: string;
  /** How many tickets to triage. */
  readonly runs: number;
  /** The fleet's cost cap in US dollars. */
  readonly capUsd: number;
  /** Where progress lines go. */
  readonly log: (line: string) => void;
}

/** What happened. */
export interface FleetDemoReport {
  readonly summaries: readonly RunSummary[];
  /** Runs a surviving worker resumed from their checkpoint after the kill. */
  readonly resumed: readonly string[];
  /** Runs the killed worker had started but not yet checkpointed: started again from the task. */
  readonly restarted: readonly string[];
  /** The run interrupted from this process, and how it ended. */
  readonly interrupted: RunSummary;
  /** Labels filed (one per call id), and tickets labelled. */
  readonly labels: number;
  readonly labelledTickets: number;
  /** The fleet's ledger: spent and reserved, in US dollars. */
  readonly spentUsd: number;
  readonly reservedUsd: number;
  readonly killedPid: number;
}

const root = fileURLToPath(new URL('..', import.meta.url));

function startWorker(environment: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@reins/source', '--import', 'tsx', 'src/worker.ts'],
    {
      cwd: root,
      env: { ...process.env, ...environment },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`A worker exited (${code}) before it was ready.`)),
    );
    child.stdout?.on('data', (data: Buffer) => {
      if (data.toString().includes('ready')) {
        child.removeAllListeners('exit');
        resolve(child);
      }
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the demo. */
export async function runFleetDemo(options: FleetDemoOptions): Promise<FleetDemoReport> {
  const { redisUrl, runs, log } = options;
  const stamp = Date.now().toString(36);
  const names = { QUEUE: `tickets-${stamp}`, PREFIX: `fleet-example-${stamp}` };
  const environment = { REDIS_URL: redisUrl, CAP_USD: String(options.capUsd), ...names };
  const workers = await Promise.all([startWorker(environment), startWorker(environment)]);
  log(`2 worker processes ready (pids ${workers.map((worker) => worker.pid).join(', ')}).`);
  const queue = createRunQueue({
    connection: redisUrl,
    queueName: names.QUEUE,
    prefix: names.PREFIX,
  });
  const redis = new Redis(redisUrl);
  try {
    const ids: string[] = [];
    for (let index = 0; index < runs; index++) {
      const ticket = `T-${100 + index}`;
      ids.push(
        await queue.enqueueRun(
          'triage',
          { task: `Triage ticket ${ticket}`, data: { ticket } },
          { runId: `ticket-${ticket}`, ...(index === 0 ? { priority: 1 } : {}) },
        ),
      );
    }
    log(`Enqueued ${runs} triage runs.`);

    // Interrupt one run from this process once its model is streaming.
    const target = ids[3] as string;
    const events = queue.events(target);
    for (;;) {
      const next = await events.next();
      if (next.done === true || next.value.type === 'model.delta') break;
    }
    await events.return?.();
    await queue.interrupt(target, {
      kind: 'stop',
      text: 'The customer closed the ticket.',
      urgency: 'now',
    });
    log(`Sent a hard stop to ${target} from this process.`);

    /** A worker holding a run that is past its first turn and not ended. */
    const workerMidRun = async () => {
      for (const job of await queue.queue.getActive()) {
        const last = (await redis.xrevrange(
          `${names.PREFIX}:run:{${job.id}}:events`,
          '+',
          '-',
          'COUNT',
          1,
        )) as [string, string[]][];
        const event =
          last[0] === undefined ? undefined : (JSON.parse(last[0][1][1] as string) as AgentEvent);
        if (event === undefined || event.turn < 2 || event.type === 'run.end') continue;
        const holder = workers.find((worker) => String(worker.pid) === job.processedBy);
        if (holder !== undefined) return holder;
      }
      return undefined;
    };
    const counts = async () =>
      queue.queue.getJobCounts('completed', 'active', 'waiting', 'prioritized');
    let killedPid = 0;
    let lastLine = '';
    for (;;) {
      const { completed = 0, active = 0, waiting = 0, prioritized = 0 } = await counts();
      const line = `progress: ${completed}/${runs} done, ${active} running, ${waiting + prioritized} waiting`;
      if (line !== lastLine) log(line);
      lastLine = line;
      if (killedPid === 0 && completed >= 1) {
        const victim = await workerMidRun();
        if (victim !== undefined) {
          killedPid = victim.pid ?? 0;
          victim.kill('SIGKILL');
          log(
            `SIGKILL worker ${killedPid} while it holds runs mid-turn: they wait for their lock to expire.`,
          );
        }
      }
      if (completed >= runs) break;
      await sleep(killedPid === 0 ? 50 : 400);
    }

    const summaries: RunSummary[] = [];
    const resumed: string[] = [];
    const restarted: string[] = [];
    for (const id of ids) {
      const job = await queue.queue.getJob(id);
      summaries.push(job?.returnvalue as RunSummary);
      const entries = (await redis.xrange(`${names.PREFIX}:run:{${id}}:events`, '-', '+')) as [
        string,
        string[],
      ][];
      const starts = entries
        .map(([, fields]) => JSON.parse(fields[1] as string) as AgentEvent)
        .filter((event) => event.type === 'run.start');
      if (starts.some((event) => event.type === 'run.start' && event.resumed)) resumed.push(id);
      else if (starts.length > 1) restarted.push(id);
    }
    const labels = await redis.hvals(`${names.PREFIX}:labels`);
    const [spent, reserved] = await redis.hmget(
      `${names.PREFIX}:ledger:{tickets}`,
      'spent',
      'reserved',
    );
    return {
      summaries,
      resumed,
      restarted,
      interrupted: summaries[3] as RunSummary,
      labels: labels.length,
      labelledTickets: new Set(labels.map((label) => label.split(' ')[0])).size,
      spentUsd: Number(spent ?? 0) / 1e6,
      reservedUsd: Number(reserved ?? 0) / 1e6,
      killedPid,
    };
  } finally {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.exitCode !== null || worker.signalCode !== null) return resolve();
            worker.once('exit', () => resolve());
            worker.kill('SIGTERM');
          }),
      ),
    );
    await queue.close();
    await redis.quit();
  }
}
