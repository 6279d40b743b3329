import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AgentEvent } from '@reins/core';
import { createOpenAICompatibleFromEnvironment } from '@reins/openai';
import { createChatCompletionsServer } from '@reins/openai/testing';
import { describe, expect, it } from 'vitest';
import { quickstartInterruption, runQuickstart } from './run-quickstart.js';
import { quickstartSteps } from './scripted-model.js';

describe('quickstart', () => {
  it('fixes the bug for real under the controller: warned when stuck, reminded, interrupted', async () => {
    const events: AgentEvent[] = [];
    const { result, root } = await runQuickstart({ onEvent: (event) => events.push(event) });
    try {
      expect(result.status).toBe('done');
      expect(await readFile(join(root, 'greet.js'), 'utf8')).toContain("'!'");
      const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'test.js')]);
      expect(stdout).toContain('1 test passed');
      const runs = result.messages.filter(
        (message) => message.role === 'tool' && message.toolName === 'run_node',
      );
      expect(
        runs.map(
          (message) =>
            message.role === 'tool' &&
            message.result.status === 'ok' &&
            message.result.output.split('\n')[0],
        ),
      ).toEqual(['exit code 1', 'exit code 1', 'exit code 1', 'exit code 1', 'exit code 0']);
      const decisions = events.filter((event) => 'controller' in event).map((event) => event.type);
      expect(decisions).toContain('stuck.detected');
      expect(decisions).toContain('budget.reminder');
      expect(decisions).toContain('intent.updated');
      // The stuck warning reached the model on the call after the fourth identical turn.
      const warning = events.find(
        (event) =>
          event.type === 'directive.applied' &&
          event.directive.type === 'inject' &&
          event.directive.source === 'interventions',
      );
      expect(warning).toMatchObject({ turn: 5 });
      const update = result.messages.find(
        (message) => message.role === 'user' && message.content.includes(quickstartInterruption),
      );
      expect(update).toBeDefined();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('runs on a live OpenAI-compatible server when REINS_MODEL is set', async () => {
    const server = await createChatCompletionsServer({
      responses: quickstartSteps.map((step) => ({
        ...(step.text === undefined ? {} : { text: step.text }),
        ...(step.reasoning === undefined ? {} : { reasoning: step.reasoning }),
        toolCalls: (step.toolCalls ?? []).map((call) => ({
          name: call.name,
          arguments: JSON.stringify(call.arguments),
        })),
      })),
    });
    const backend = createOpenAICompatibleFromEnvironment({
      REINS_MODEL: 'local-coder',
      OPENAI_BASE_URL: server.baseURL,
      REINS_FLAVOR: 'vllm',
    });
    try {
      const { result, root } = await runQuickstart({
        ...(backend === undefined ? {} : { backend }),
      });
      await rm(root, { recursive: true, force: true });
      expect(result.status).toBe('done');
      expect(server.requests).toHaveLength(quickstartSteps.length);
      expect(server.requests[1]?.body).toMatchObject({
        model: 'local-coder',
        tools: expect.any(Array),
      });
    } finally {
      await server.close();
    }
  });
});
