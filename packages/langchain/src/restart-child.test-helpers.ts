/**
 * The first process of the restart test: runs the thread on a SQLite file, prints every Reins
 * event as a JSON line, prints `HANG` when the tool call `call_4` starts (it never finishes),
 * and waits to be killed. Usage: `tsx restart-child.test-helpers.ts <file>`.
 */
import { createRestartAgent, describeEvent, restartThread } from './restart-agent.test-helpers.js';

const file = process.argv[2];
if (file === undefined) throw new Error('Usage: restart-child <sqlite file>');
const write = (line: string) => process.stdout.write(`${line}\n`);
const { agent } = createRestartAgent({
  file,
  hangAtCall: 'call_4',
  onHang: () => write('HANG'),
  onEvent: (event) => write(JSON.stringify({ event: describeEvent(event) })),
});
await agent.invoke({ messages: [{ role: 'user', content: 'Echo it.' }] }, restartThread);
write('FINISHED');
