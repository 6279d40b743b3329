// Plain Node, from the packed tarball: the coding tools edit a file and run a sandboxed command.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCodingTools } from '@reins/coding-tools';

const workspace = await mkdtemp(join(tmpdir(), 'reins-consumer-workspace-'));
await writeFile(join(workspace, 'greet.js'), "console.log('hello');\n");
const { tools, sandbox } = await createCodingTools({ root: workspace });
const context = { signal: new AbortController().signal, runId: 'run', callId: 'call' };
const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
const diff = await byName.edit_file.execute({ path: 'greet.js', old: 'hello', new: 'hi' }, context);
if (!diff.includes("+console.log('hi');")) throw new Error(`unexpected edit result: ${diff}`);
const output = await byName.run_command.execute({ command: 'node greet.js' }, context);
if (output !== 'exit code: 0\nhi\n') throw new Error(`unexpected command result: ${output}`);
if ((await readFile(join(workspace, 'greet.js'), 'utf8')) !== "console.log('hi');\n")
  throw new Error('the edit did not reach the file');
console.log(`coding-tools: edited a file and ran it (${sandbox.isolation})`);
