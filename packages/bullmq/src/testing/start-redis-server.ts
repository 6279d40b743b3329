import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /**
   * The `redis-server` binary.
   * @defaultValue `'/usr/bin/redis-server'` when it exists, else `'redis-server'` on the PATH
   */
  readonly binary?: string;
  /**
   * How long to wait for the server to answer PING, in milliseconds.
   * @defaultValue 10 000
   */
  readonly startTimeoutMs?: number;
}

/** A `redis-server` started by {@link startRedisServer}. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The loopback port it listens on. */
  readonly port: number;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its folder. */
  stop(): Promise<void>;
}

/** A free loopback port, as the OS hands it out. */
async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('No port was assigned.')),
      );
    });
  });
}

/** Sends PING on a fresh socket; resolves with whether `+PONG` came back. */
async function ping(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = new Socket();
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * Starts a throwaway `redis-server` on a free loopback port, in a temporary folder, with
 * persistence off, and waits until it answers PING. For tests, benchmarks and examples; in
 * production, point the fleet at the Redis you operate.
 *
 * @param options - the binary and the start timeout.
 * @returns the server's URL, port and `stop()`.
 * @throws {Error} when the binary is missing (naming the Debian package to install) or the
 *   server does not answer in time.
 * @example
 * ```ts
 * const redis = await startRedisServer();
 * const queue = createRunQueue({ connection: redis.url });
 * // …
 * await redis.stop();
 * ```
 */
export async function startRedisServer(
  options: StartRedisServerOptions = {},
): Promise<RedisServer> {
  const binary =
    options.binary ??
    (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : 'redis-server');
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'reins-redis-'));
  const child: ChildProcess = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      directory,
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'no',
    ],
    { stdio: 'ignore' },
  );
  let exited: string | undefined;
  child.once('error', (error) => {
    exited = `could not start '${binary}': ${error.message}. Install Debian's redis-server (apt-get install -y redis-server) or pass { binary }.`;
  });
  child.once('exit', (code, signal) => {
    exited ??= `'${binary}' exited (code ${code}, signal ${signal}) before answering PING.`;
  });
  const deadline = Date.now() + startTimeoutMs;
  while (!(await ping(port))) {
    if (exited !== undefined || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(directory, { recursive: true, force: true });
      throw new Error(
        `redis-server did not start on port ${port}: ${exited ?? `no PONG within ${startTimeoutMs} ms`}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
