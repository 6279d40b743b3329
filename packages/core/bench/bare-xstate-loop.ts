/**
 * The floor under any XState agent loop: a think → act → observe machine whose three invoked
 * promise actors resolve at once, and nothing else. The overhead benchmark reports Reins against it.
 */
import { assign, createActor, fromPromise, setup } from 'xstate';

const bareLoop = setup({
  types: { context: {} as { turn: number; turns: number }, input: {} as { turns: number } },
  actors: {
    think: fromPromise(async () => 'call'),
    act: fromPromise(async () => 'result'),
    observe: fromPromise(async () => 'committed'),
  },
  guards: { isLastTurn: ({ context }) => context.turn >= context.turns },
}).createMachine({
  context: ({ input }) => ({ turn: 1, turns: input.turns }),
  initial: 'think',
  states: {
    think: { invoke: { src: 'think', onDone: 'act' } },
    act: { invoke: { src: 'act', onDone: 'observe' } },
    observe: {
      invoke: {
        src: 'observe',
        onDone: [
          { guard: 'isLastTurn', target: 'done' },
          { target: 'think', actions: assign({ turn: ({ context }) => context.turn + 1 }) },
        ],
      },
    },
    done: { type: 'final' },
  },
});

/** Runs the bare loop for `turns` turns. */
export function runBareXStateLoop(turns: number): Promise<void> {
  return new Promise((resolve) => {
    const actor = createActor(bareLoop, { input: { turns } });
    actor.subscribe({ complete: () => resolve() });
    actor.start();
  });
}
