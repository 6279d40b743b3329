import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A message the fixture server sends over IPC. */
export interface ServerMessage {
  readonly type: 'listening' | 'started' | 'cancelled' | 'late-sent';
  readonly url?: string;
  readonly tool?: string;
  readonly requestId?: string | number;
  readonly reason?: string;
}

/** The fixture MCP server running in a child process, and what it reported. */
export interface HttpServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly messages: ServerMessage[];
  /** Resolves with the first message (already received or coming) of `type`. */
  next(type: ServerMessage['type'], after?: number): Promise<ServerMessage>;
  /** Ends the process (SIGKILL) and waits for its exit. */
  kill(): Promise<void>;
}

const entry = fileURLToPath(new URL('./fixtures/http-server.mjs', import.meta.url));

/** Starts the fixture server on `port` (0: any free port) and waits until it listens. */
export async function startHttpServer(port = 0): Promise<HttpServerProcess> {
  const child = fork(entry, [String(port)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const messages: ServerMessage[] = [];
  const waiters: { type: string; after: number; resolve: (message: ServerMessage) => void }[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (message: ServerMessage) => {
    messages.push(message);
    for (const waiter of [...waiters]) {
      const index = messages.findIndex(
        (seen, at) => at >= waiter.after && seen.type === waiter.type,
      );
      if (index >= 0) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(messages[index] as ServerMessage);
      }
    }
  });
  const next = (type: ServerMessage['type'], after = 0) =>
    new Promise<ServerMessage>((resolve) => {
      const found = messages.find((message, at) => at >= after && message.type === type);
      if (found !== undefined) resolve(found);
      else waiters.push({ type, after, resolve });
    });
  const listening = await Promise.race([
    next('listening'),
    exited.then(() => {
      throw new Error('The fixture MCP server exited before listening.');
    }),
  ]);
  return {
    child,
    url: listening.url as string,
    messages,
    next,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
