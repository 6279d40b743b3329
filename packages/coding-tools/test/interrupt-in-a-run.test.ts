import { createAgent } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { describe, expect, it } from 'vitest';
import { createCodingTools } from '../src/index.js';
import {
  createEscapeFixture,
  hostProcessesMatching,
  waitUntilNoProcessMatches,
} from './escape-fixture.js';

describe('run_command in a run', () => {
  it('is killed with everything it started when the user interrupts now; the call is answered as cancelled', async () => {
    const { workspace } = await createEscapeFixture();
    const marker = 'sleep 47.4714';
    const backend = createScriptedBackend({
      responses: [
        {
          toolCalls: [
            { name: 'run_command', arguments: { command: `setsid -f ${marker}; sleep 1000` } },
          ],
        },
        { text: 'Stopped the long command as asked.' },
      ],
    });
    const { tools } = await createCodingTools({ root: workspace });
    const handle = createAgent({ backend, tools }).run('Run the script.');
    for (let check = 0; hostProcessesMatching(marker).length === 0; check += 1) {
      if (check > 1_000) throw new Error('the command did not start');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    handle.interrupt({ kind: 'revision', text: 'Do not wait for it.', urgency: 'now' });
    const result = await handle.result;
    await waitUntilNoProcessMatches(marker);
    expect(result.status).toBe('done');
    const toolMessage = result.messages.find((message) => message.role === 'tool');
    expect(toolMessage).toMatchObject({ role: 'tool', result: { status: 'cancelled' } });
  });
});
