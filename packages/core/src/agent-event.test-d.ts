import { expectTypeOf, test } from 'vitest';
import type { AgentEventOf } from './agent-event.js';
import type { RunHandle } from './run-handle.js';

test('typed listeners narrow loop and controller events', () => {
  expectTypeOf<AgentEventOf<'tool.end'>['result']['status']>().toEqualTypeOf<
    'ok' | 'error' | 'cancelled'
  >();
  expectTypeOf<AgentEventOf<'budget.extended'>['type']>().toEqualTypeOf<'budget.extended'>();
  expectTypeOf<AgentEventOf<'budget.extended'>['evidence']>().not.toBeNever();
  expectTypeOf<Parameters<Parameters<RunHandle['on']>[1]>>().not.toBeNever();
});
