import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionTurn, createView, numbered, replay, silentTurn } from '../test/replay.js';
import { createCompaction } from './compaction.js';
import { createController } from './create-controller.js';
import { createDriftMonitor } from './drift-monitor.js';
import { ControllerStateError } from './errors/controller-state-error.js';
import { createFailurePredictor } from './failure-predictor.js';
import { createInterventionPolicy } from './intervention-policy.js';
import { createOverthinkingMonitor } from './overthinking-monitor.js';
import { createStuckMonitor } from './stuck-monitor.js';
import { createTokenBudget } from './token-budget.js';
import { createTurnBudget } from './turn-budget.js';

const everything = (repeats = false) =>
  createController({
    budget: [
      createTurnBudget({ mode: 'dynamic', initial: 8, extension: 6, extensionTool: {} }),
      createTokenBudget({ maxTokens: 50_000 }),
    ],
    monitors: [
      createStuckMonitor(),
      createDriftMonitor({ window: 4 }),
      createOverthinkingMonitor(),
      createFailurePredictor({
        threshold: 0.95,
        score: (features) =>
          (repeats ? features.repeatedAction : features.errorCount) > 0 ? 0.96 : 0.1,
      }),
    ],
    interventions: createInterventionPolicy({ reanchorAtTurns: [4, 7] }),
  });

const script = fc.array(fc.constantFrom('a', 'b', 'a', 'c', '', 'fail'), {
  minLength: 1,
  maxLength: 18,
});
const toRecords = (commands: readonly string[]) =>
  numbered(
    commands.map((command) =>
      command === ''
        ? silentTurn(0)
        : command === 'fail'
          ? actionTurn(0, 'make', 'error: boom', 'error')
          : actionTurn(0, command, `${command} says hi`),
    ),
  );

describe('createController', () => {
  it('never changes a snapshot it handed out, nor a state a session was opened with', () => {
    fc.assert(
      fc.property(script, (commands) => {
        const records = toRecords(commands);
        const controller = everything(commands.length % 2 === 0);
        const taken: { state: unknown; json: string; at: number }[] = [];
        let resume: Parameters<typeof replay>[3];
        for (const [index, record] of records.entries()) {
          const step = replay(controller, [record], {}, resume);
          if (step.stop !== undefined) break;
          resume = { session: step.session, view: step.view };
          const state = step.session.snapshot?.();
          taken.push({ state, json: JSON.stringify(state), at: index + 1 });
        }
        // Sessions opened with the very objects of a snapshot run on from it.
        for (const { state, at } of taken) replay(controller, records.slice(at), { state });
        for (const { state, json } of taken) expect(JSON.stringify(state)).toBe(json);
      }),
      { numRuns: 60 },
    );
  });

  it('continues after a snapshot exactly as the uninterrupted session does', () => {
    fc.assert(
      fc.property(script, fc.nat(), (commands, cut) => {
        const records = toRecords(commands);
        const split = cut % (records.length + 1);
        const repeats = commands.length % 2 === 0;
        const whole = replay(everything(repeats), records);
        const first = replay(everything(repeats), records.slice(0, split));
        if (first.stop !== undefined) return;
        const state = JSON.parse(JSON.stringify(first.session.snapshot?.()));
        const resumedSession = everything(repeats).open({
          runId: 'run-1',
          task: 'Fix the bug.',
          state,
        });
        const rest = replay(
          everything(repeats),
          records.slice(split),
          {},
          { session: resumedSession, view: first.view },
        );
        expect([...first.steps, ...rest.steps]).toEqual(whole.steps);
      }),
      { numRuns: 150 },
    );
  });

  it('reports every monitor finding as its event with policy and evidence, and re-anchors on schedule', () => {
    const records = toRecords(['a', 'a', 'a', 'a', 'b', 'c', 'b']);
    const { events } = replay(everything(), records);
    const stuck = events.find((event) => event.name === 'stuck.detected');
    expect(stuck).toMatchObject({
      policy: 'stuck',
      evidence: { pattern: 'repeating-action-observation', turn: 4 },
    });
    const scheduled = events.filter(
      (event) => event.name === 'intervention.applied' && event.evidence.scheduled === true,
    );
    expect(scheduled.map((event) => event.turn)).toEqual([3, 6]);
  });

  it('compacts keeping the system prompt, the task and the last turns verbatim', () => {
    const controller = createController({
      monitors: [createStuckMonitor()],
      interventions: createInterventionPolicy({
        escalation: { stuck: ['compact'] },
        compaction: createCompaction({ keepLastTurns: 2 }),
      }),
    });
    const records = numbered([
      actionTurn(0, 'ls', 'a b'),
      actionTurn(0, 'cat a', 'alpha'),
      ...Array.from({ length: 4 }, () => actionTurn(0, 'pytest', 'failed')),
      actionTurn(0, 'git diff', ''),
    ]);
    const { view, steps } = replay(controller, records);
    const compact = steps.find((step) => step.directive.type === 'compact');
    expect(compact).toBeDefined();
    expect(view.messages[0]).toMatchObject({ role: 'system' });
    expect(view.messages[1]).toMatchObject({ role: 'user', content: 'Fix the bug.' });
    expect(view.messages[2]).toMatchObject({ role: 'user', origin: { kind: 'controller' } });
    expect((view.messages[2] as { content: string }).content).toContain('bash {"command":"ls"}');
    // Kept: the last two turns, each an assistant message followed by its tool result.
    // Kept: the last two turns before the compaction, then the turn after it.
    expect(view.messages.slice(3).map((message) => message.role)).toEqual([
      'assistant',
      'tool',
      'assistant',
      'tool',
      'assistant',
      'tool',
    ]);
    expect(view.messages[3]).toMatchObject({
      role: 'assistant',
      toolCalls: [{ arguments: '{"command":"pytest"}' }],
    });
  });

  it('defaults: hints name the run and turn; interruptions are left to the loop', () => {
    const session = createController().open({ runId: 'abc', task: 't' });
    const view = createView({ runId: 'abc' });
    view.turn = 3;
    expect(session.hints?.(view)).toEqual({ programId: 'abc', turn: 3, cacheKey: 'abc' });
    expect(
      session.onInterrupt?.(view, {
        id: 'i',
        kind: 'revision',
        text: 'x',
        urgency: 'next-turn',
        receivedAt: 0,
        turn: 1,
      }),
    ).toBeUndefined();
    expect(
      createController({ hints: false }).open({ runId: 'abc', task: 't' }).hints,
    ).toBeUndefined();
  });

  it('rejects unreadable state and clashing names with the fix', () => {
    expect(() => everything().open({ runId: 'r', task: 't', state: { version: 9 } })).toThrow(
      ControllerStateError,
    );
    expect(() => everything().open({ runId: 'r', task: 't', state: { version: 9 } })).toThrow(
      /reads version 1/,
    );
    expect(() =>
      createController({ monitors: [createStuckMonitor(), createStuckMonitor()] }),
    ).toThrow(/Two monitors are named 'stuck'/);
  });
});
