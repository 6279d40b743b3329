// A chat-completions server on loopback that answers every request at once: a call of `echo`
// until the request holds `turns - 1` tool results, then a text answer. Prints its port.
import { createServer } from 'node:http';

const turns = Number(process.argv[2] ?? 200);
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const toolResults = body.messages.filter((message) => message.role === 'tool').length;
    const id = `chatcmpl-${toolResults}`;
    const frame = (delta, finish, usage) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    if (toolResults < turns - 1) {
      response.write(
        frame(
          {
            role: 'assistant',
            tool_calls: [
              {
                index: 0,
                id: `call_${toolResults}`,
                type: 'function',
                function: { name: 'echo', arguments: '{"text":"hi"}' },
              },
            ],
          },
          null,
        ),
      );
      response.write(frame({}, 'tool_calls', usage));
    } else {
      response.write(frame({ role: 'assistant', content: 'done' }, null));
      response.write(frame({}, 'stop', usage));
    }
    response.end('data: [DONE]\n\n');
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
