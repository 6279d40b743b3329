/**
 * Splits a byte stream of server-sent events into the `data` payload of each event. Comments
 * (`:` lines, used as keep-alives) and other fields are skipped; multi-line data is joined
 * with `\n`. Lines may end with `\n`, `\r\n` or `\r`.
 *
 * @param chunks - the response body's chunks.
 * @returns an async iterable of data strings, `[DONE]` included.
 * @example
 * ```ts
 * for await (const data of parseServerSentEvents(response.body)) console.log(data);
 * ```
 */
export async function* parseServerSentEvents(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const end = lineEnd(buffer, start);
      if (end === -1) break;
      const carriage = buffer.charCodeAt(end) === 13;
      // A \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (carriage && end + 1 === buffer.length) break;
      const line = buffer.slice(start, end);
      start = carriage && buffer.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
      if (line === '') {
        if (data.length > 0) {
          yield data.length === 1 ? (data[0] as string) : data.join('\n');
          data = [];
        }
      } else if (line.startsWith('data:')) {
        data.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
      }
    }
    buffer = buffer.slice(start);
  }
  buffer += decoder.decode();
  if (buffer.startsWith('data:'))
    data.push(buffer.charCodeAt(5) === 32 ? buffer.slice(6) : buffer.slice(5));
  if (data.length > 0) yield data.join('\n');
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  const carriage = text.indexOf('\r', from);
  if (carriage === -1) return newline;
  if (newline === -1) return carriage;
  return Math.min(newline, carriage);
}
