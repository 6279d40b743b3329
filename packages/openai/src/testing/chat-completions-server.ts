import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { renderCompletion, renderCompletionChunks } from './render-completion-chunks.js';
import type { RawReplay, ScriptedCompletion } from './scripted-completion.js';

/** How the server's handling of a request ended. */
export type RequestOutcome =
  /** The whole response was sent. */
  | 'completed'
  /** The client closed the connection before the response ended (an abort). */
  | 'client-closed'
  /** The server destroyed the connection on purpose (a `reset` fault). */
  | 'reset';

/** A request the server received. */
export interface RecordedRequest {
  readonly method: string;
  /** The path, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body (`undefined` when it was not JSON). */
  readonly body: Record<string, unknown> | undefined;
  /** The scripted completion that answered it, if any. */
  readonly completion: ScriptedCompletion | undefined;
  /** Whether the client closed the connection before the response ended. */
  readonly closedEarly: boolean;
  /**
   * The stream chunks written to the connection so far, in order (what the client was sent,
   * as opposed to what was scripted): the ground truth for tests that count tokens or cost.
   * Empty for raw replays, which write bytes rather than chunks.
   */
  readonly sent: readonly Record<string, unknown>[];
  /** Settles when the server is done with the request. */
  readonly outcome: Promise<RequestOutcome>;
}

/** Settings of {@link createChatCompletionsServer}. */
export interface ChatCompletionsServerSettings {
  /** Completions answered in order, before any `enqueue`d ones. */
  readonly responses?: readonly ScriptedCompletion[];
  /**
   * Answers requests when the queue is empty; without it, an empty queue answers 500.
   */
  readonly fallback?: (body: Record<string, unknown> | undefined) => ScriptedCompletion;
  /**
   * The path prefix of the API.
   * @defaultValue `'/v1'`
   */
  readonly prefix?: string;
}

/** A running loopback chat-completions server. */
export interface ChatCompletionsServer {
  /** The API root to give a client, e.g. `http://127.0.0.1:49152/v1`. */
  readonly baseURL: string;
  /** The origin without the API prefix (a wrong base URL, for tests). */
  readonly origin: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Adds completions to answer the next requests. */
  enqueue(...completions: ScriptedCompletion[]): void;
  /** Completions still queued. */
  readonly pending: number;
  /** Resolves with the `index`-th request (0-based) once it arrives. */
  waitForRequest(index: number): Promise<RecordedRequest>;
  /** Stops the server and destroys open connections. */
  close(): Promise<void>;
}

/**
 * Starts a real HTTP server on 127.0.0.1 (a free port) that speaks the chat-completions
 * protocol: `POST {prefix}/chat/completions` streams scripted completions as server-sent
 * events (or answers one JSON object when `stream` is false). It injects faults on demand
 * (status codes with `Retry-After`, HTML pages, resets, stalls, malformed chunks, errors in
 * the stream, slow drip) and records every request with its body, headers and whether the
 * client closed the connection early. Any other path answers 404 with an HTML page, as a
 * typical web server does.
 *
 * @param settings - initial responses, a fallback, the API prefix.
 * @returns the running server; `close()` it after the test.
 * @example
 * ```ts
 * const server = await createChatCompletionsServer();
 * server.enqueue({ fault: { type: 'status', status: 429, retryAfter: '0' } }, { text: 'Hello!' });
 * const backend = createOpenAICompatible({ baseURL: server.baseURL, apiKey: 'test', model: 'gpt-4o' });
 * await server.close();
 * ```
 */
export async function createChatCompletionsServer(
  settings: ChatCompletionsServerSettings = {},
): Promise<ChatCompletionsServer> {
  const prefix = settings.prefix ?? '/v1';
  const queue: ScriptedCompletion[] = [...(settings.responses ?? [])];
  const requests: RecordedRequest[] = [];
  const waiters = new Map<number, ((request: RecordedRequest) => void)[]>();
  const sockets = new Set<Socket>();
  let sequence = 0;

  const record = (request: RecordedRequest) => {
    requests.push(request);
    const index = requests.length - 1;
    for (const resolve of waiters.get(index) ?? []) resolve(request);
    waiters.delete(index);
  };

  const server = createServer((incoming, response) => {
    const parts: Buffer[] = [];
    incoming.on('data', (part: Buffer) => parts.push(part));
    incoming.on('end', () => {
      const raw = Buffer.concat(parts).toString('utf8');
      let body: Record<string, unknown> | undefined;
      try {
        body = raw === '' ? undefined : (JSON.parse(raw) as Record<string, unknown>);
      } catch {
        body = undefined;
      }
      const path = (incoming.url ?? '/').split('?')[0] as string;
      const isCompletion = incoming.method === 'POST' && path === `${prefix}/chat/completions`;
      const completion = isCompletion ? (queue.shift() ?? settings.fallback?.(body)) : undefined;
      let closedEarly = false;
      const sent: Record<string, unknown>[] = [];
      let resolveOutcome: (outcome: RequestOutcome) => void = () => {};
      const outcome = new Promise<RequestOutcome>((resolve) => {
        resolveOutcome = resolve;
      });
      let settled = false;
      const settle = (value: RequestOutcome) => {
        if (settled) return;
        settled = true;
        if (value === 'client-closed') closedEarly = true;
        resolveOutcome(value);
      };
      response.on('close', () => settle(response.writableFinished ? 'completed' : 'client-closed'));
      record({
        method: incoming.method ?? 'GET',
        path,
        headers: incoming.headers,
        body,
        completion,
        get closedEarly() {
          return closedEarly;
        },
        sent,
        outcome,
      });
      if (!isCompletion) {
        sendHtml(response, 404, `Cannot ${incoming.method} ${path}`);
        return;
      }
      if (completion === undefined) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            error: {
              message:
                'The loopback server has no scripted completion left. Enqueue one with server.enqueue().',
              type: 'server_error',
            },
          }),
        );
        return;
      }
      sequence++;
      void answer(response, completion, body, `chatcmpl-${sequence}`, settle, sent);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    baseURL: `${origin}${prefix}`,
    origin,
    requests,
    enqueue: (...completions) => {
      queue.push(...completions);
    },
    get pending() {
      return queue.length;
    },
    waitForRequest(index) {
      const existing = requests[index];
      if (existing !== undefined) return Promise.resolve(existing);
      return new Promise((resolve) => {
        const list = waiters.get(index) ?? [];
        list.push(resolve);
        waiters.set(index, list);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** How long the server lets the client read the chunks sent before a `reset` fault. */
const resetGraceMs = 30;

async function answer(
  response: ServerResponse,
  completion: ScriptedCompletion,
  body: Record<string, unknown> | undefined,
  id: string,
  settle: (outcome: RequestOutcome) => void,
  sent: Record<string, unknown>[],
): Promise<void> {
  if (completion.raw !== undefined) {
    await replayRaw(response, completion.raw, settle);
    return;
  }
  const fault = completion.fault;
  if (fault?.type === 'status') {
    const headers: Record<string, string> = {
      'content-type': fault.contentType ?? 'application/json',
    };
    if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
    response.writeHead(fault.status, headers);
    response.end(
      fault.body ??
        JSON.stringify({
          error: {
            message: `Injected status ${fault.status}`,
            type: 'injected',
            code: fault.status,
          },
        }),
    );
    return;
  }
  if (fault?.type === 'html') {
    sendHtml(response, fault.status ?? 502, '502 Bad Gateway');
    return;
  }
  const model = typeof body?.model === 'string' ? body.model : 'loopback';
  const streamOptions = body?.stream_options as { include_usage?: unknown } | undefined;
  if (body?.stream !== true) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(renderCompletion(completion, { model, includeUsage: true, id })));
    return;
  }
  const chunks = renderCompletionChunks(completion, {
    model,
    includeUsage: streamOptions?.include_usage === true,
    id,
  });
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const delayMs = completion.delayMs ?? 0;
  const faultAt = fault === undefined ? Number.POSITIVE_INFINITY : fault.afterChunks;
  for (let index = 0; index < chunks.length; index++) {
    if (response.destroyed) return;
    if (index === faultAt && fault !== undefined) {
      switch (fault.type) {
        case 'reset':
          // Let the client read what was sent (an RST discards unread data), then reset.
          await new Promise((resolve) => setTimeout(resolve, resetGraceMs));
          settle('reset');
          if (response.socket !== null) response.socket.resetAndDestroy();
          else response.destroy();
          return;
        case 'stall':
          response.flushHeaders();
          return; // Nothing more is sent; the connection stays open until the client leaves.
        case 'malformed':
          response.end(
            `data: ${fault.text ?? '{"choices": [{"delta": {"content": "unterminated'}\n\n`,
          );
          return;
        case 'stream-error':
          response.end(
            `data: ${JSON.stringify({ object: 'error', error: { message: fault.message ?? 'Injected error in the stream', code: fault.code ?? 500 } })}\n\ndata: [DONE]\n\n`,
          );
          return;
      }
    }
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (response.destroyed) return;
    const chunk = chunks[index] as Record<string, unknown>;
    response.write(`data: ${JSON.stringify(chunk)}\n\n`);
    sent.push(chunk);
  }
  if (faultAt >= chunks.length && fault?.type === 'stall') {
    response.flushHeaders();
    return;
  }
  response.end('data: [DONE]\n\n');
}

/** Sends recorded bytes in writes of the chosen sizes, then ends, resets or stalls. */
async function replayRaw(
  response: ServerResponse,
  raw: RawReplay,
  settle: (outcome: RequestOutcome) => void,
): Promise<void> {
  const bytes =
    typeof raw.body === 'string' ? Buffer.from(raw.body, 'utf8') : Buffer.from(raw.body);
  const sizes = typeof raw.writeSizes === 'number' ? [raw.writeSizes] : (raw.writeSizes ?? []);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) {
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        error: {
          message: `The scripted raw.writeSizes must be whole numbers of bytes, at least 1; received ${JSON.stringify(raw.writeSizes)}.`,
          type: 'server_error',
        },
      }),
    );
    return;
  }
  response.writeHead(
    raw.status ?? 200,
    raw.headers ?? {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    },
  );
  response.flushHeaders();
  let offset = 0;
  for (let write = 0; offset < bytes.length; write++) {
    if (write > 0 && (raw.delayMs ?? 0) > 0)
      await new Promise((resolve) => setTimeout(resolve, raw.delayMs));
    if (response.destroyed) return;
    const size = sizes.length === 0 ? bytes.length : (sizes[write % sizes.length] as number);
    response.write(bytes.subarray(offset, offset + size));
    offset += size;
  }
  switch (raw.ending ?? 'end') {
    case 'end':
      response.end();
      return;
    case 'stall':
      return;
    case 'reset':
      await new Promise((resolve) => setTimeout(resolve, resetGraceMs));
      settle('reset');
      if (response.socket !== null) response.socket.resetAndDestroy();
      else response.destroy();
      return;
  }
}

function sendHtml(response: ServerResponse, status: number, title: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  response.end(
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><p>nginx</p></body></html>`,
  );
}
