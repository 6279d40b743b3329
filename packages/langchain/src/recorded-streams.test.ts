import { readFileSync, writeFileSync } from 'node:fs';
import { ChatOpenAI } from '@langchain/openai';
import type { ModelStreamPart } from '@reins/core';
import {
  type ChatCompletionsServer,
  createChatCompletionsServer,
  loadRecordedStreams,
  type RecordedStream,
  summarizeModelStream,
  toRawReplay,
} from '@reins/openai/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fromLangChainModel } from './from-langchain-model.js';

/**
 * The same corpus of recorded streams as `@reins/openai`, read through
 * `fromLangChainModel(ChatOpenAI)`. Where LangChain's reading differs from what the source
 * asserts, the difference is recorded as data in `recorded-streams.langchain.json`: a test
 * fails when LangChain's behaviour changes (a difference appears or goes away), not because
 * LangChain differs. Regenerate the file with `REINS_UPDATE_LANGCHAIN_DIFFERENCES=1`.
 */
const differencesFile = new URL('./recorded-streams.langchain.json', import.meta.url);

/** One way LangChain's reading of a recorded stream differs from what its source asserts. */
interface LangChainDifference {
  readonly field:
    | 'text'
    | 'reasoning'
    | 'refusal'
    | 'toolCalls'
    | 'usage'
    | 'finish'
    | 'outcome'
    | 'console';
  readonly expected: unknown;
  readonly langchain: unknown;
}

const streams = loadRecordedStreams();
const recorded = JSON.parse(readFileSync(differencesFile, 'utf8')) as Record<
  string,
  readonly LangChainDifference[]
>;
const observed: Record<string, LangChainDifference[]> = {};

let server: ChatCompletionsServer;
beforeAll(async () => {
  server = await createChatCompletionsServer();
});
afterAll(async () => {
  await server.close();
  if (process.env.REINS_UPDATE_LANGCHAIN_DIFFERENCES === '1')
    writeFileSync(differencesFile, `${JSON.stringify(observed, null, 2)}\n`);
});

const silentLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

async function readThroughLangChain(stream: RecordedStream) {
  server.enqueue(toRawReplay(stream));
  const backend = fromLangChainModel(
    new ChatOpenAI({
      model: 'recorded',
      apiKey: 'test-key',
      configuration: { baseURL: server.baseURL, logger: silentLogger },
      maxRetries: 0,
      streamUsage: true,
    }),
    { idleTimeoutMs: 5_000, firstChunkTimeoutMs: 5_000 },
  );
  const parts: ModelStreamPart[] = [];
  let failed = false;
  // LangChain writes warnings to the console for some streams: they are part of its reading
  // (the shared setup restores the console after the test).
  const printed: string[] = [];
  for (const method of ['log', 'warn'] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
  try {
    for await (const part of backend.stream({
      messages: [{ role: 'user', content: 'Replay.' }],
      tools: [],
      signal: new AbortController().signal,
    }))
      parts.push(part);
  } catch {
    failed = true;
  }
  return { summary: summarizeModelStream(parts), failed, printed: [...new Set(printed)] };
}

function differencesOf(
  stream: RecordedStream,
  read: Awaited<ReturnType<typeof readThroughLangChain>>,
): LangChainDifference[] {
  const { expected } = stream;
  const { summary } = read;
  const differences: LangChainDifference[] = [];
  const compare = (field: LangChainDifference['field'], want: unknown, got: unknown) => {
    if (JSON.stringify(want) !== JSON.stringify(got))
      differences.push({ field, expected: want, langchain: got });
  };
  const fails = expected.error !== undefined;
  compare('outcome', fails ? 'fails' : 'finishes', read.failed ? 'fails' : 'finishes');
  compare('text', expected.text, summary.text);
  compare('reasoning', expected.reasoning, summary.reasoning);
  compare('refusal', expected.refusal, summary.refusal);
  compare(
    'toolCalls',
    expected.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments })),
    summary.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments })),
  );
  compare('console', [], read.printed);
  if (!fails && !read.failed) {
    compare('usage', expected.usage ?? null, summary.usage);
    compare('finish', expected.finish?.reason, summary.finish?.reason);
  }
  return differences;
}

describe('the recorded corpus through fromLangChainModel(ChatOpenAI)', () => {
  it.each(streams.map((stream) => [stream.name, stream] as const))(
    '%s: LangChain reads it as recorded in recorded-streams.langchain.json',
    async (name, stream) => {
      const read = await readThroughLangChain(stream);
      const differences = differencesOf(stream, read);
      observed[name] = differences;
      if (process.env.REINS_UPDATE_LANGCHAIN_DIFFERENCES === '1') return;
      expect(differences).toEqual(recorded[name] ?? []);
    },
    15_000,
  );
});
