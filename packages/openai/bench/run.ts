/**
 * Streaming throughput and per-request overhead of the Reins OpenAI-compatible backend versus
 * the official `openai` client and LangChain's ChatOpenAI, all against the same loopback
 * server in one process. Prints medians and ratios; the last line is one JSON object.
 */
import { performance } from 'node:perf_hooks';
import { ChatOpenAI } from '@langchain/openai';
import type { ModelStreamPart } from '@reins/core';
import OpenAI from 'openai';
import { createChatChunkParser } from '../src/chat-chunk-parser.js';
import { createOpenAICompatible } from '../src/create-openai-compatible.js';
import { parseServerSentEvents } from '../src/parse-sse.js';
import { createChatCompletionsServer } from '../src/testing/chat-completions-server.js';
import { renderCompletionChunks } from '../src/testing/render-completion-chunks.js';

const longText = 'lorem ipsum dolor sit amet, '.repeat(80); // 2 240 characters
const chunkSize = 4; // ~560 content chunks per stream
const rounds = 15;

const server = await createChatCompletionsServer({
  fallback: (body) => {
    const messages = body?.messages as { content: string }[] | undefined;
    const long = messages?.[0]?.content === 'long';
    return long
      ? { text: longText, chunkSize, usage: { promptTokens: 10, completionTokens: 560 } }
      : { text: 'ok', usage: { promptTokens: 10, completionTokens: 1 } };
  },
});

const reins = createOpenAICompatible({
  baseURL: server.baseURL,
  apiKey: 'bench',
  model: 'gpt-4.1-mini',
});
const openai = new OpenAI({ baseURL: server.baseURL, apiKey: 'bench', maxRetries: 0 });
const langchain = new ChatOpenAI({
  model: 'gpt-4.1-mini',
  apiKey: 'bench',
  configuration: { baseURL: server.baseURL },
  maxRetries: 0,
  streamUsage: true,
});

type Client = (prompt: string) => Promise<number>;
const clients: Record<string, Client> = {
  reins: async (prompt) => {
    let parts = 0;
    for await (const _part of reins.stream({
      messages: [{ role: 'user', content: prompt }],
      tools: [],
      signal: new AbortController().signal,
    }))
      parts++;
    return parts;
  },
  openai: async (prompt) => {
    let chunks = 0;
    const stream = await openai.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: prompt }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _chunk of stream) chunks++;
    return chunks;
  },
  langchain: async (prompt) => {
    let chunks = 0;
    for await (const _chunk of await langchain.stream(prompt)) chunks++;
    return chunks;
  },
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function measure(prompt: string, repeat: number): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = { reins: [], openai: [], langchain: [] };
  for (const name of Object.keys(clients))
    for (let warm = 0; warm < 3; warm++) await clients[name]?.(prompt);
  for (let round = 0; round < rounds; round++) {
    // Interleave the clients so that machine noise hits them alike.
    for (const [name, client] of Object.entries(clients)) {
      const start = performance.now();
      for (let index = 0; index < repeat; index++) await client(prompt);
      samples[name]?.push((performance.now() - start) / repeat);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, values]) => [name, median(values)]),
  );
}

// 1. In-process SSE parsing throughput of the Reins parser (no network).
const chunks = renderCompletionChunks(
  { text: longText.repeat(10), chunkSize },
  { model: 'm', includeUsage: false, id: 'c' },
);
const payload = new TextEncoder().encode(
  `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`,
);
const pieces: Uint8Array[] = [];
for (let offset = 0; offset < payload.length; offset += 16_384)
  pieces.push(payload.subarray(offset, offset + 16_384));
async function* source() {
  yield* pieces;
}
const parseSamples: number[] = [];
for (let round = 0; round < rounds + 3; round++) {
  const start = performance.now();
  const parser = createChatChunkParser();
  const out: ModelStreamPart[] = [];
  for await (const data of parseServerSentEvents(source())) {
    if (data === '[DONE]') break;
    parser.push(JSON.parse(data), out);
    out.length = 0;
  }
  if (round >= 3) parseSamples.push(performance.now() - start);
}
const parseMs = median(parseSamples);
const parseChunksPerSecond = chunks.length / (parseMs / 1000);
const parseMegabytesPerSecond = payload.length / 1e6 / (parseMs / 1000);

// 1b. One very long SSE line (a huge chunk, e.g. a whole file in one delta), fed in 64 KiB
// pieces as a socket delivers it: the parser must stay linear in the line's length. The simple
// alternative with the same information buffers the whole body and splits it at once.
async function* inPieces(payload: Uint8Array) {
  for (let offset = 0; offset < payload.length; offset += 65_536)
    yield payload.subarray(offset, offset + 65_536);
}
function longLinePayload(megabytes: number): Uint8Array {
  const content = 'lorem ipsum '.repeat(Math.ceil((megabytes * 1024 * 1024) / 12));
  return new TextEncoder().encode(
    `data: {"choices":[{"index":0,"delta":{"content":"${content.slice(0, megabytes * 1024 * 1024)}"}}]}\n\ndata: [DONE]\n\n`,
  );
}
async function parseWithReins(payload: Uint8Array): Promise<number> {
  let length = 0;
  for await (const data of parseServerSentEvents(inPieces(payload))) length += data.length;
  return length;
}
async function parseBuffered(payload: Uint8Array): Promise<number> {
  const parts: Uint8Array[] = [];
  for await (const piece of inPieces(payload)) parts.push(piece);
  let length = 0;
  for (const line of Buffer.concat(parts)
    .toString('utf8')
    .split(/\r\n|\r|\n/))
    if (line.startsWith('data:')) length += line.slice(6).length;
  return length;
}
/**
 * Each round parses the 2 MB line 8 times in a row and the 16 MB line once (the same bytes, in
 * the same moment of a shared machine's load) and keeps the ratio; the figures are the medians.
 */
async function timeLongLines(parse: (payload: Uint8Array) => Promise<number>, rounds: number) {
  const small = longLinePayload(2);
  const large = longLinePayload(16);
  const smallMs: number[] = [];
  const largeMs: number[] = [];
  const growth: number[] = [];
  for (let round = 0; round < rounds + 1; round++) {
    let start = performance.now();
    for (let repeat = 0; repeat < 8; repeat++) await parse(small);
    const mb2 = (performance.now() - start) / 8;
    start = performance.now();
    await parse(large);
    const mb16 = performance.now() - start;
    if (round === 0) continue; // warm-up
    smallMs.push(mb2);
    largeMs.push(mb16);
    growth.push(mb16 / mb2);
  }
  return { mb2Ms: median(smallMs), mb16Ms: median(largeMs), growth: median(growth) };
}
if ((await parseWithReins(longLinePayload(2))) !== (await parseBuffered(longLinePayload(2))))
  throw new Error('The two parsers read different data.');
const longLine = await timeLongLines(parseWithReins, 7);
const longLineBuffered = await timeLongLines(parseBuffered, 7);

// 2. Streaming a long completion over loopback (~560 chunks).
const long = await measure('long', 1);
const longChunks = 560;
// 3. Per-request overhead: a two-token completion.
const short = await measure('short', 5);
await server.close();

console.log(
  `SSE long line: 2 MB ${longLine.mb2Ms.toFixed(1)} ms, 16 MB ${longLine.mb16Ms.toFixed(1)} ms (${longLine.growth.toFixed(2)}x for 8x the bytes); buffer-then-split: 2 MB ${longLineBuffered.mb2Ms.toFixed(1)} ms, 16 MB ${longLineBuffered.mb16Ms.toFixed(1)} ms (${longLineBuffered.growth.toFixed(2)}x)`,
);
const line = (label: string, values: Record<string, number>, unit: string) =>
  `${label.padEnd(30)} ${Object.entries(values)
    .map(([name, value]) => `${name} ${value.toFixed(3)} ${unit}`)
    .join(' | ')}`;
console.log(
  `SSE parsing (in process): ${parseMs.toFixed(2)} ms for ${chunks.length} chunks = ${Math.round(parseChunksPerSecond)} chunks/s, ${parseMegabytesPerSecond.toFixed(1)} MB/s`,
);
console.log(line('long stream, median per request', long, 'ms'));
console.log(line('short request, median', short, 'ms'));
const perChunkUs = Object.fromEntries(
  Object.entries(long).map(([name, ms]) => [name, ((ms - (short[name] ?? 0)) * 1000) / longChunks]),
);
console.log(line('overhead per chunk', perChunkUs, 'µs'));
const ratios = {
  longStreamOpenAIOverReins: (long.openai ?? 0) / (long.reins ?? 1),
  longStreamLangChainOverReins: (long.langchain ?? 0) / (long.reins ?? 1),
  shortRequestOpenAIOverReins: (short.openai ?? 0) / (short.reins ?? 1),
  shortRequestLangChainOverReins: (short.langchain ?? 0) / (short.reins ?? 1),
};
console.log(
  `ratios (> 1: Reins is faster): ${Object.entries(ratios)
    .map(([key, value]) => `${key} ${value.toFixed(2)}`)
    .join(', ')}`,
);
console.log(
  JSON.stringify({
    benchmark: '@reins/openai streaming',
    rounds,
    sseParse: {
      ms: parseMs,
      chunks: chunks.length,
      chunksPerSecond: Math.round(parseChunksPerSecond),
      megabytesPerSecond: parseMegabytesPerSecond,
    },
    sseLongLine: { ...longLine, buffered: longLineBuffered },
    longStreamMs: long,
    longStreamChunksPerSecond: Object.fromEntries(
      Object.entries(long).map(([name, ms]) => [name, Math.round(longChunks / (ms / 1000))]),
    ),
    shortRequestMs: short,
    perChunkOverheadUs: perChunkUs,
    ratios,
  }),
);
