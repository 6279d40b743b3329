import { describe, expect, it } from 'vitest';
import { createFakeSupportModel } from './fake-support-model.js';
import { runOrderAgent } from './run-order-agent.js';

describe('the LangChain support agent with Reins', () => {
  it('answers on the fake model, with Reins reminding it of its turns', async () => {
    const result = await runOrderAgent(
      createFakeSupportModel(),
      'My order A-1002 never arrived. Can I get my money back?',
    );

    expect(result.toolsCalled).toEqual(['lookup_order', 'refund']);
    expect(result.answer).toBe('Your toaster (A-1002) was lost in transit; I refunded the 54 USD.');
    expect(
      result.events.flatMap((event) =>
        event.type === 'budget.reminder' && 'controller' in event ? [event.message] : [],
      ),
    ).toEqual([
      'You have 5 turns left to complete the task.',
      'You have 4 turns left to complete the task.',
    ]);
    expect(result.events.filter((event) => event.type === 'turn.start')).toHaveLength(3);
  });
});
