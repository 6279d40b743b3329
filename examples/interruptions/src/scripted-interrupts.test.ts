import type { AgentEvent, RunHandle, UserMessage } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { parseCommand } from './parse-command.js';
import { runScriptedInterrupts } from './scripted-interrupts.js';

describe('interruptions example', () => {
  it('plays every kind of interrupt on the shop agent, with the endings each one calls for', async () => {
    const events: AgentEvent[][] = [];
    const [edited, dropped, answered] = await runScriptedInterrupts({
      toolMs: 15,
      chunkMs: 1,
      onStart: (_run, handle: RunHandle) => {
        const own: AgentEvent[] = [];
        events.push(own);
        handle.on('*', (event) => own.push(event));
      },
    });

    // Run 1: addition, revision, retraction reach the model framed, in order; stop forces an answer.
    expect(edited?.status).toBe('stopped');
    expect(edited?.reason).toBe('user-stop');
    const updates = (edited?.messages ?? []).filter(
      (message): message is UserMessage =>
        message.role === 'user' && message.origin?.kind === 'interrupt',
    );
    expect(updates.map((message) => message.origin)).toMatchObject([
      { interruptKind: 'addition' },
      { interruptKind: 'revision' },
      { interruptKind: 'retraction' },
    ]);
    expect(updates.every((message) => message.content.includes('verified'))).toBe(true);
    expect(edited?.output).toContain('Taking into account');
    expect(edited?.output).toContain('January 2023, not February.');
    expect(edited?.output).toContain('Ignore the review count.');
    const first = events[0] ?? [];
    // The urgent revision cut a model call short; the urgent retraction cancelled a running tool.
    expect(
      first.some((event) => event.type === 'model.end' && event.finishReason === 'interrupted'),
    ).toBe(true);
    expect(
      first.some((event) => event.type === 'tool.end' && event.result.status === 'cancelled'),
    ).toBe(true);
    expect(first.some((event) => event.type === 'budget.extended')).toBe(true);

    // Run 2: dropping the task cancels the run and keeps the page already read.
    expect(dropped?.status).toBe('cancelled');
    expect(dropped?.message).toContain('The user dropped the task');
    expect(
      dropped?.messages.some(
        (message) => message.role === 'tool' && message.result.status === 'ok',
      ),
    ).toBe(true);

    // Run 3: answer-now closes the reasoning and caps the answer.
    expect(answered).toMatchObject({ status: 'stopped', reason: 'user-answer-now' });
    const forced = (events[2] ?? []).filter((event) => event.type === 'model.start').at(-1);
    expect(forced).toMatchObject({ settings: { maxTokens: 48, toolChoice: 'none' } });
  });

  it('reads terminal commands as interrupts', () => {
    expect(parseCommand('!r January, not February')).toEqual({
      kind: 'revision',
      text: 'January, not February',
      urgency: 'now',
    });
    expect(parseCommand('a top 3 only')).toMatchObject({ kind: 'addition', urgency: 'next-turn' });
    expect(parseCommand('drop')).toMatchObject({ kind: 'retraction', scope: 'task' });
    expect(parseCommand('n')).toMatchObject({ kind: 'answer-now' });
    expect(parseCommand('hello')).toBeUndefined();
  });
});
