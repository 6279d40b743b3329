import { readdirSync, readFileSync } from 'node:fs';
import type { FinishReason, UsagePatch } from '@reins/core';
import type { OpenAICallErrorKind } from '../openai-call-error.js';
import type { OpenAIFlavor } from '../openai-flavor.js';
import type { RawReplay, ScriptedCompletion } from './scripted-completion.js';

/** Where a recorded stream comes from. */
export interface RecordedStreamSource {
  /** The page to read: a file at a commit, an issue, a documentation page. */
  readonly url: string;
  /** `owner/name` of the repository, when it is one. */
  readonly repository?: string;
  /** The file inside the repository. */
  readonly path?: string;
  /** The commit the file was read at. */
  readonly commit?: string;
  /** Which exchange of a cassette holding several. */
  readonly interaction?: number;
  /** A second source that the fixture also draws on. */
  readonly also?: string;
}

/** What a correct client reports for a recorded stream. */
export interface RecordedStreamExpectation {
  /** The answer text, all deltas joined. */
  readonly text: string;
  /** The reasoning text, all deltas joined. */
  readonly reasoning: string;
  /** The refusal text, all deltas joined. */
  readonly refusal: string;
  /** The complete tool calls, in order (`id` when the server sent one). */
  readonly toolCalls: readonly {
    readonly name: string;
    readonly arguments: string;
    readonly id?: string;
  }[];
  /** How many tokens came with log-probabilities. */
  readonly logprobTokens: number;
  /** The usage (`null`: the server reported none); absent when the call fails. */
  readonly usage?: Required<Omit<UsagePatch, 'costUsd'>> | null;
  /** How the call finished; absent when it fails. */
  readonly finish?: { readonly reason: FinishReason; readonly rawReason?: string };
  /** How the call fails, when it does. */
  readonly error?: {
    readonly kind: OpenAICallErrorKind;
    readonly retryable: boolean;
    readonly status?: number;
    readonly message?: string;
  };
}

/**
 * One real chat-completions response of a public recording, with its source and what a
 * correct client makes of it. See `fixtures/recorded-streams/README.md` for the corpus.
 */
export interface RecordedStream {
  /** The file name without `.json`. */
  readonly name: string;
  /** The server or provider that sent it. */
  readonly server: string;
  /** The flavour to read it with. */
  readonly flavor: OpenAIFlavor;
  /**
   * How faithful the body is: `verbatim` (byte for byte), `excerpt` (parts of a recording),
   * `truncated` (a verbatim prefix), `line-endings-converted`, `documented-example` (a
   * server's documentation), `reconstructed` (abbreviated in the source; `framing` says how).
   */
  readonly recording: string;
  /** What the stream exercises. */
  readonly covers: readonly string[];
  readonly source: RecordedStreamSource;
  /** What the source project asserts about this response. */
  readonly sourceAsserts: string;
  /** How the recording became these bytes. */
  readonly framing: string;
  /** How to replay it: write sizes, delays, how the response ends. */
  readonly replay?: Omit<RawReplay, 'body' | 'status' | 'headers'>;
  /** The response status. @defaultValue 200 */
  readonly status?: number;
  /** The response headers. @defaultValue an event stream */
  readonly headers?: Readonly<Record<string, string>>;
  /** The response body. */
  readonly body: string;
  /** What a correct client reports. */
  readonly expected: RecordedStreamExpectation;
}

/** The corpus shipped with this package. */
export const recordedStreamsDirectory: URL = new URL(
  '../../fixtures/recorded-streams/',
  import.meta.url,
);

/**
 * Reads the recorded streams of a directory (every `*.json` file), sorted by name.
 *
 * @param directory - the directory.
 * @defaultValue {@link recordedStreamsDirectory}
 * @returns the streams.
 * @throws {Error} naming the file when one is not a recorded stream.
 * @example
 * ```ts
 * for (const stream of loadRecordedStreams()) server.enqueue(toRawReplay(stream));
 * ```
 */
export function loadRecordedStreams(directory: URL = recordedStreamsDirectory): RecordedStream[] {
  const files = readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort();
  if (files.length === 0)
    throw new Error(`No recorded streams (*.json) in ${directory.pathname}. Check the path.`);
  return files.map((file) => {
    const stream = JSON.parse(readFileSync(new URL(file, directory), 'utf8')) as RecordedStream;
    if (typeof stream.body !== 'string' || typeof stream.expected !== 'object') {
      throw new Error(
        `${file} in ${directory.pathname} is not a recorded stream: it needs a string 'body' and an 'expected' object.`,
      );
    }
    return stream;
  });
}

/**
 * The scripted completion that makes the loopback server replay a recorded stream.
 *
 * @param stream - the recorded stream.
 * @param replay - write sizes, delay or ending overriding the stream's own.
 * @returns a completion for `server.enqueue()`.
 * @example
 * ```ts
 * server.enqueue(toRawReplay(stream, { writeSizes: 3 }));
 * ```
 */
export function toRawReplay(
  stream: RecordedStream,
  replay: Omit<RawReplay, 'body' | 'status' | 'headers'> = {},
): ScriptedCompletion {
  return {
    raw: {
      body: stream.body,
      ...stream.replay,
      ...replay,
      ...(stream.status === undefined ? {} : { status: stream.status }),
      ...(stream.headers === undefined ? {} : { headers: stream.headers }),
    },
  };
}
