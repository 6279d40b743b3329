/**
 * Starts worker processes of the fleet tests (test/fixtures/fleet-worker.ts) and waits until
 * they take runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const workerFile = fileURLToPath(new URL('./fixtures/fleet-worker.ts', import.meta.url));

/** A worker process. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** What it wrote, for failure messages. */
  readonly output: string[];
  /** Resolves with its exit code. */
  readonly exited: Promise<number | null>;
}

/** Every worker process started and not yet exited (kill them after the tests). */
export const workerProcesses = new Set<ChildProcess>();

/** Starts a worker process with `environment` and resolves once it prints `ready`. */
export function startWorkerProcess(environment: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@reins/source', '--import', 'tsx', workerFile],
    { env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  workerProcesses.add(child);
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      workerProcesses.delete(child);
      resolve(code);
    }),
  );
  child.stderr?.on('data', (data: Buffer) => output.push(data.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) => {
      output.push(data.toString());
      if (data.toString().includes('ready')) resolve({ child, output, exited });
    });
    void exited.then((code) =>
      reject(new Error(`A worker exited (${code}) before it was ready:\n${output.join('')}`)),
    );
  });
}
