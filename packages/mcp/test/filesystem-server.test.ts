import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent, type Message, type ToolMessage } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMcpServer, type McpServerConnection } from '../src/index.js';

const require = createRequire(import.meta.url);
/** The filesystem server's entry point, run from node_modules with this Node. */
const serverEntry = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');

let workspace: string;
let files: McpServerConnection;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'reins-mcp-fs-'));
  writeFileSync(join(workspace, 'notes.txt'), 'first line\nsecond line\n');
  files = await connectMcpServer({
    name: 'filesystem',
    transport: { type: 'stdio', command: process.execPath, args: [serverEntry, workspace] },
    toolNamePrefix: 'fs_',
  });
});

afterAll(async () => {
  await files?.close();
  rmSync(workspace, { recursive: true, force: true });
});

function toolResults(messages: readonly Message[]): ToolMessage[] {
  return messages.filter((message): message is ToolMessage => message.role === 'tool');
}

describe('the filesystem server over stdio', () => {
  it("lists the server's tools under the prefix, with the server's own JSON Schemas", () => {
    const names = files.currentTools().map((tool) => tool.name);
    expect(names).toContain('fs_read_text_file');
    expect(names).toContain('fs_write_file');
    expect(names).toContain('fs_list_directory');
    const read = files.currentTools().find((tool) => tool.name === 'fs_read_text_file');
    expect(read?.inputJsonSchema).toMatchObject({
      type: 'object',
      properties: { path: { type: 'string' } },
      required: ['path'],
    });
    expect(files.serverInfo?.name).toBe('secure-filesystem-server');
  });

  it('runs the server tools in a Reins loop: reads, writes, and refuses a path outside the workspace', async () => {
    const backend = createScriptedBackend({
      responses: [
        {
          toolCalls: [
            { name: 'fs_read_text_file', arguments: { path: join(workspace, 'notes.txt') } },
          ],
        },
        {
          toolCalls: [
            {
              name: 'fs_write_file',
              arguments: { path: join(workspace, 'out.txt'), content: 'written by the agent' },
            },
            { name: 'fs_read_text_file', arguments: { path: '/etc/passwd' } },
          ],
        },
        { text: 'Done.' },
      ],
    });
    const agent = createAgent({ backend, toolSources: [files] });
    const result = await agent.run('Copy the notes.').result;
    expect(result.status).toBe('done');
    expect(backend.requests[0]?.tools.map((tool) => tool.name)).toContain('fs_read_text_file');
    const [read, write, outside] = toolResults(result.messages);
    expect(read?.result).toEqual({ status: 'ok', output: 'first line\nsecond line\n' });
    expect(write?.result.status).toBe('ok');
    expect(readFileSync(join(workspace, 'out.txt'), 'utf8')).toBe('written by the agent');
    expect(outside?.result).toMatchObject({ status: 'error' });
    expect(JSON.stringify(outside?.result)).toContain('mcp-tool-error');
    expect(JSON.stringify(outside?.result)).toMatch(/outside allowed directories|Access denied/);
  });

  it("validates arguments against the server's schema before calling, with a typed error that names the fix", async () => {
    const backend = createScriptedBackend({
      responses: [
        {
          toolCalls: [{ name: 'fs_read_text_file', arguments: { file: 'notes.txt', head: 'two' } }],
        },
        { text: 'ok' },
      ],
    });
    const result = await createAgent({ backend, toolSources: [files] }).run('Read.').result;
    const [invalid] = toolResults(result.messages);
    expect(invalid?.result).toMatchObject({
      status: 'error',
      error: { code: 'invalid-tool-input' },
    });
    const message = invalid?.result.status === 'error' ? invalid.result.error.message : '';
    expect(message).toContain('path: required property is missing');
    expect(message).toContain('head: must be number');
    expect(message).toContain(
      "Call 'fs_read_text_file' again with arguments that match its schema",
    );
  });
});
