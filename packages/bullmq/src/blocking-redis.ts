import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { RedisConnectionOptions } from './redis-connection.js';

/**
 * A Redis client whose `evalBlocking` returns the script's reply synchronously: a worker
 * thread holds the connection and the calling thread waits on a shared flag (`Atomics.wait`)
 * for one round trip. It lets a synchronous interface (the controller's `CostLedger`) make an
 * atomic decision in Redis, at the price of blocking the calling thread for that round trip.
 */
export interface BlockingRedis {
  /**
   * Runs `script` with `keys` and `args` and returns its reply.
   * @throws {Error} when Redis answers with an error, or does not answer within the timeout.
   */
  evalBlocking(
    script: string,
    keys: readonly string[],
    args: readonly string[],
    timeoutMs?: number,
  ): unknown;
  /** Ends the thread and its connection. */
  close(): Promise<void>;
}

/** The thread's code: one ioredis client, one request at a time, the reply, then the flag. */
const threadSource = `
const { workerData } = require('node:worker_threads');
const { Redis } = require(workerData.ioredisPath);
const redis = new Redis(workerData.options);
redis.on('error', () => {});
const flag = new Int32Array(workerData.shared);
workerData.port.on('message', async (request) => {
  let reply;
  try {
    reply = { id: request.id, value: await redis.eval(request.script, request.keys.length, ...request.keys, ...request.args) };
  } catch (error) {
    reply = { id: request.id, error: String((error && error.message) || error) };
  }
  workerData.port.postMessage(reply);
  Atomics.store(flag, 0, request.id);
  Atomics.notify(flag, 0);
});
`;

/**
 * Opens a blocking Redis client.
 * @param options - ioredis options (plain data: they are copied to the thread).
 * @param timeoutMs - the longest a call may block.
 */
export function createBlockingRedis(
  options: RedisConnectionOptions,
  timeoutMs: number,
): BlockingRedis {
  const shared = new SharedArrayBuffer(4);
  const flag = new Int32Array(shared);
  const { port1, port2 } = new MessageChannel();
  const plainOptions = Object.fromEntries(
    Object.entries(options).filter(([, value]) => typeof value !== 'function'),
  );
  const worker = new Worker(threadSource, {
    eval: true,
    // The thread runs plain JavaScript: no loader of the parent's (tsx…) needs to start in it.
    execArgv: [],
    workerData: {
      ioredisPath: createRequire(import.meta.url).resolve('ioredis'),
      options: plainOptions,
      shared,
      port: port2,
    },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  let nextId = 0;
  return {
    evalBlocking(script, keys, args, callTimeoutMs = timeoutMs) {
      nextId = (nextId % 2_000_000_000) + 1;
      const id = nextId;
      port1.postMessage({ id, script, keys, args });
      const deadline = Date.now() + callTimeoutMs;
      for (;;) {
        let message = receiveMessageOnPort(port1);
        while (message !== undefined) {
          const reply = message.message as { id: number; value?: unknown; error?: string };
          if (reply.id === id) {
            if (reply.error !== undefined) throw new Error(reply.error);
            return reply.value;
          }
          message = receiveMessageOnPort(port1);
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`Redis did not answer within ${callTimeoutMs} ms.`);
        // The flag holds the id of the last request answered; wait until it changes.
        const answered = Atomics.load(flag, 0);
        if (answered !== id) Atomics.wait(flag, 0, answered, left);
      }
    },
    async close() {
      port1.close();
      await worker.terminate();
    },
  };
}
