import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  type ToolMessage,
} from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { createController, createStuckMonitor, createTurnBudget } from '@reins/controller';
import { describe, expect, it } from 'vitest';
import type { ReinsEvent } from './reins-event.js';
import { createReinsObserver } from './reins-observer.js';
import { createEchoTool } from './test-agent-parts.test-helpers.js';

/** A hand-written agent loop (no createAgent): model, then its tool calls, until an answer. */
async function runLoop(
  model: ReturnType<typeof fakeModel>,
  echo: ReturnType<typeof createEchoTool>['echo'],
  config: { callbacks: unknown[]; signal: AbortSignal },
): Promise<BaseMessage[]> {
  const messages: BaseMessage[] = [new HumanMessage('Echo until told otherwise.')];
  const bound = model.bindTools([echo]);
  for (let step = 0; step < 20; step++) {
    const reply = (await bound.invoke(messages, config as never)) as AIMessage;
    messages.push(reply);
    if (!reply.tool_calls?.length) return messages;
    for (const call of reply.tool_calls) {
      const result = (await echo.invoke(
        { ...call, type: 'tool_call' },
        config as never,
      )) as ToolMessage;
      messages.push(result);
    }
  }
  return messages;
}

describe('createReinsObserver', () => {
  it('feeds the monitors from callbacks and stops the run through its AbortSignal', async () => {
    const { echo, calls } = createEchoTool();
    let model = fakeModel();
    for (let index = 0; index < 8; index++)
      model = model.respondWithTools([{ name: 'echo', args: { text: 'same' } }]);
    const observer = createReinsObserver(
      createController({
        budget: createTurnBudget({ mode: 'fixed', limit: 6, reminder: false }),
        monitors: [createStuckMonitor()],
      }),
    );
    const events: ReinsEvent[] = [];
    observer.on('*', (event) => events.push(event));

    await expect(
      runLoop(model, echo, { callbacks: [observer.handler], signal: observer.signal }),
    ).rejects.toThrow(/Run stopped \(turn-budget\)/);

    expect(observer.signal.aborted).toBe(true);
    expect(observer.ending).toMatchObject({ status: 'stopped', reason: 'turn-budget' });
    // The seventh call was refused at its start: its reply never reached a tool.
    expect(calls).toHaveLength(6);
    expect(events.some((event) => event.type === 'stuck.detected')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'run.stop', reason: 'turn-budget' });
  });

  it('stops the run at once on an urgent stop interruption', async () => {
    const { echo } = createEchoTool();
    const model = fakeModel()
      .respondWithTools([{ name: 'echo', args: { text: 'one' } }])
      .respond(new AIMessage('never reached'));
    const observer = createReinsObserver(createController());
    expect(() => observer.interrupt({ kind: 'stop' })).toThrow(/has not called its model yet/);
    const bound = model.bindTools([echo]);
    const config = { callbacks: [observer.handler], signal: observer.signal };
    await bound.invoke([new HumanMessage('Go.')], config);

    observer.interrupt({ kind: 'stop', text: 'Enough.', urgency: 'now' });

    expect(observer.ending).toMatchObject({ reason: 'user-stop', message: 'Enough.' });
    expect(observer.signal.aborted).toBe(true);
    expect(String(observer.signal.reason)).toMatch(/Run stopped \(user-stop\): Enough\./);
  });
});
