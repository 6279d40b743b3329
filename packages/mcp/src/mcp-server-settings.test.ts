import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { connectMcpServer } from './connect-mcp-server.js';
import type { McpServerSettings } from './mcp-server-settings.js';

const attempt = (settings: unknown) => connectMcpServer(settings as McpServerSettings);

describe('connectMcpServer settings', () => {
  it.each([
    [{ transport: { type: 'stdio', command: 'node' } }, 'name', "name: 'filesystem'"],
    [
      { name: 'x', transport: { type: 'stdio', command: '' } },
      'transport.command',
      "command: 'node'",
    ],
    [
      { name: 'x', transport: { type: 'http', url: 'ftp://host/mcp' } },
      'transport.url',
      'http://127.0.0.1:3000/mcp',
    ],
    [
      { name: 'x', transport: { type: 'sse', url: 'http://h' } },
      'transport.type',
      "use 'stdio' or 'http'",
    ],
    [
      { name: 'x', transport: { type: 'stdio', command: 'node' }, toolNamePrefix: 'a.b' },
      'toolNamePrefix',
      "letters, digits, '_' or '-'",
    ],
    [
      { name: 'x', transport: { type: 'stdio', command: 'node' }, toolTimeoutMs: 0 },
      'toolTimeoutMs',
      'positive number',
    ],
  ])('refuses %j naming %s and the fix', async (settings, field, fix) => {
    const error = await attempt(settings).catch((caught: unknown) => caught);
    expect(InvalidOptionsError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ field });
    expect((error as Error).message).toContain(fix);
  });

  it('reports an HTTP endpoint that does not answer as mcp-server-unavailable', async () => {
    const error = await attempt({
      name: 'nowhere',
      transport: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
      connectTimeoutMs: 5_000,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'mcp-server-unavailable', serverName: 'nowhere' });
    expect((error as Error).message).toContain('http://127.0.0.1:9/mcp');
  });
});
