import type { ModelStreamPart } from '@reins/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createChatChunkParser } from './chat-chunk-parser.js';
import { parseServerSentEvents } from './parse-sse.js';

async function* bytes(...pieces: string[]) {
  const encoder = new TextEncoder();
  for (const piece of pieces) yield encoder.encode(piece);
}

async function collect(iterable: AsyncIterable<string>) {
  const result: string[] = [];
  for await (const item of iterable) result.push(item);
  return result;
}

describe('parseServerSentEvents', () => {
  it('joins events split anywhere, with \\r\\n line ends, comments and multi-line data', async () => {
    const events = await collect(
      parseServerSentEvents(
        bytes(
          ': keep-alive\r',
          '\n\r\ndata: {"a"',
          ':1}\r',
          '\n\r\ndata: x\ndata: y\n\nevent: z\ndata:[DONE]\n\n',
        ),
      ),
    );
    expect(events).toEqual(['{"a":1}', 'x\ny', '[DONE]']);
  });

  it('reads the same events however the bytes are cut into chunks', async () => {
    const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
    const field = fc.oneof(
      fc
        .string({ unit: 'grapheme', maxLength: 12 })
        .map((text) => `data: ${text.replace(/[\r\n]/g, '')}`),
      fc.constant(': keep-alive'),
      fc.constant('event: message'),
    );
    const stream = fc.array(
      fc.tuple(fc.array(fc.tuple(field, lineEnd), { maxLength: 4 }), lineEnd),
      {
        maxLength: 6,
      },
    );
    await fc.assert(
      fc.asyncProperty(stream, fc.array(fc.nat(), { maxLength: 8 }), async (events, cuts) => {
        const text = events
          .map(([lines, end]) => `${lines.map(([line, ending]) => line + ending).join('')}${end}`)
          .join('');
        const encoded = new TextEncoder().encode(text);
        const points = [...new Set(cuts.map((cut) => cut % (encoded.length + 1)))].sort(
          (a, b) => a - b,
        );
        async function* pieces() {
          let from = 0;
          for (const point of [...points, encoded.length]) {
            yield encoded.slice(from, point);
            from = point;
          }
        }
        async function* whole() {
          yield encoded;
        }
        expect(await collect(parseServerSentEvents(pieces()))).toEqual(
          await collect(parseServerSentEvents(whole())),
        );
      }),
    );
  });

  it('reads a line of several megabytes that arrives in many pieces', async () => {
    const content = 'ab😀'.repeat(300_000);
    const encoded = new TextEncoder().encode(`data: ${content}\n\ndata: [DONE]\n\n`);
    async function* pieces() {
      for (let offset = 0; offset < encoded.length; offset += 4093)
        yield encoded.subarray(offset, offset + 4093);
    }
    expect(await collect(parseServerSentEvents(pieces()))).toEqual([content, '[DONE]']);
  });

  it('splits a multi-byte character across chunks correctly', async () => {
    const encoded = new TextEncoder().encode('data: é\n\n');
    async function* split() {
      yield encoded.slice(0, 7);
      yield encoded.slice(7);
    }
    expect(await collect(parseServerSentEvents(split()))).toEqual(['é']);
  });
});

describe('createChatChunkParser', () => {
  it('reads tool calls from servers that omit the index, and llama.cpp cache timings', () => {
    const parser = createChatChunkParser();
    const out: ModelStreamPart[] = [];
    parser.push(
      {
        choices: [
          { delta: { tool_calls: [{ id: 'a', function: { name: 'f', arguments: '{"x"' } }] } },
        ],
      },
      out,
    );
    parser.push(
      { choices: [{ delta: { tool_calls: [{ function: { arguments: ':1}' } }] } }] },
      out,
    );
    parser.push(
      {
        choices: [
          { delta: { tool_calls: [{ id: 'b', function: { name: 'g', arguments: '{}' } }] } },
        ],
      },
      out,
    );
    parser.push(
      {
        choices: [{ delta: {}, finish_reason: 'tool_calls' }],
        usage: { prompt_tokens: 9, completion_tokens: 2 },
        timings: { cache_n: 7 },
      },
      out,
    );
    expect(out.filter((part) => part.type === 'tool-call')).toEqual([
      { type: 'tool-call', id: 'a', name: 'f', arguments: '{"x":1}' },
      { type: 'tool-call', id: 'b', name: 'g', arguments: '{}' },
    ]);
    expect(parser.finishReason).toBe('tool-calls');
    expect(parser.usage).toEqual({
      inputTokens: 9,
      outputTokens: 2,
      cachedInputTokens: 7,
      reasoningTokens: 0,
    });
  });
});
