import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../scripts/thrown-by.js';
import { createAgent } from './create-agent.js';
import { InvalidOptionsError } from './errors/invalid-options-error.js';
import { RunStateError } from './errors/run-state-error.js';
import { createMemoryCheckpointer } from './memory-checkpointer.js';
import { createScriptedBackend } from './testing/scripted-backend.js';

describe("a run handle's controls", () => {
  it('refuses an interruption after the run ended, saying how it ended', async () => {
    const handle = createAgent({
      backend: createScriptedBackend({ responses: [{ text: 'Done.' }] }),
    }).run('Go.', { runId: 'r1' });
    await handle.result;
    const error = thrownBy(() => handle.interrupt({ kind: 'addition', text: 'More.' }));
    expect(RunStateError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      message:
        "Run 'r1' already ended as 'done'; an interrupt can no longer apply. Start a new run with the update instead.",
    });
  });

  it('refuses an interruption that is not one, naming each problem', async () => {
    const handle = createAgent({
      backend: createScriptedBackend({ responses: [{ text: 'Done.' }] }),
    }).run('Go.');
    const error = thrownBy(() =>
      handle.interrupt({ kind: 'shout', text: 'More.', urgency: 'soon' } as never),
    );
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({ field: 'interrupt' });
    expect((error as Error).message).toMatch(
      /^Invalid interrupt: kind: .+; urgency: .+\. Use \{ kind:/,
    );
    await handle.result;
  });

  it('gives a resumed run that had ended its recorded result, and refuses controls on it', async () => {
    const checkpointer = createMemoryCheckpointer();
    const agent = createAgent({
      backend: createScriptedBackend({ responses: [{ text: 'Done.' }] }),
      checkpointer,
    });
    const first = await agent.run('Go.', { runId: 'r2' }).result;
    const resumed = await agent.resume('r2');
    expect(await resumed.result).toMatchObject({
      runId: 'r2',
      status: 'done',
      output: first.output,
    });
    const message = "Run 'r2' already ended as 'done'; start a new run instead.";
    for (const control of [
      () => resumed.interrupt({ kind: 'addition', text: 'x' }),
      () => resumed.pause(),
      () => resumed.resume(),
    ])
      expect(thrownBy(control)).toMatchObject({ code: 'run-state', message });
    expect(() => resumed.abort()).not.toThrow();
  });

  it('passes its inspect option to the state machine', async () => {
    const seen: string[] = [];
    await createAgent({ backend: createScriptedBackend({ responses: [{ text: 'Done.' }] }) }).run(
      'Go.',
      {
        inspect: (event) => seen.push(event.type),
      },
    ).result;
    expect(seen).toContain('@xstate.actor');
    expect(seen).toContain('@xstate.snapshot');
  });
});
