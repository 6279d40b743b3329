import { beforeAll, describe, expect, it } from 'vitest';
import { remindingCap, turnCap } from '../test/controllers.js';
import { sharedData } from '../test/shared-data.js';
import { importTrajectoryDirectory } from './import-trajectories.js';
import { createReplayBackend } from './replay-backend.js';
import { replayTrajectory } from './replay-trajectory.js';
import { simulateController } from './simulate-controller.js';
import type { Trajectory } from './trajectory.js';

let mini: Trajectory[] = [];
let tau: Trajectory[] = [];
let sweAgent: Trajectory[] = [];

beforeAll(async () => {
  mini = (
    await importTrajectoryDirectory(sharedData('swe-trajectories/mini-swe-agent-gemini-3-pro'))
  ).trajectories;
  tau = (await importTrajectoryDirectory(sharedData('tau-bench'))).trajectories;
  sweAgent = (await importTrajectoryDirectory(sharedData('swe-trajectories/swe-agent-java')))
    .trajectories;
}, 120_000);

/** Every 15th run, so the sample spans the data set. */
const sample = (runs: Trajectory[]) => runs.filter((_, index) => index % 15 === 0);

describe('replayTrajectory through createAgent', () => {
  it('plays every recorded turn, with the recorded observations and cost, when nothing stops it', async () => {
    const trajectory = mini[0] as Trajectory;
    const seen: string[] = [];
    const { result } = await replayTrajectory(trajectory, {
      onEvent: (event) => {
        if (event.type === 'tool.end' && event.result.status === 'ok')
          seen.push(event.result.output);
      },
    });
    expect(result.status).toBe('done');
    // One more call than recorded: the empty end-of-recording answer.
    expect(result.turns).toBe(trajectory.turns.length + 1);
    const recordedCost = trajectory.turns.reduce(
      (sum, turn) => sum + (turn.usage?.costUsd ?? 0),
      0,
    );
    expect(result.usage.costUsd).toBeCloseTo(recordedCost, 12);
    const recordedOutputs = trajectory.turns.flatMap((turn) =>
      turn.actions.map((action) => action.result?.output ?? ''),
    );
    expect(seen).toEqual(recordedOutputs);
    const assistant = result.messages.filter((message) => message.role === 'assistant');
    expect(assistant[3]?.content).toBe(trajectory.turns[3]?.text);
  });

  it('lets a turn cap stop the replayed run before the recorded call after the cap', async () => {
    const trajectory = mini.find((run) => run.turns.length > 40) as Trajectory;
    const { result, trace } = await replayTrajectory(trajectory, { controller: turnCap(25) });
    expect(result.status).toBe('stopped');
    expect(result.turns).toBe(25);
    expect(trace.stop).toMatchObject({ turn: 26, hook: 'beforeModel', reason: 'turn-budget' });
    expect(trace.modelCalls).toBe(25);
  });

  it('replays a tau-bench conversation, the user replies coming back as environment results', async () => {
    const trajectory = tau[0] as Trajectory;
    const backend = createReplayBackend({ trajectory });
    expect(backend.tools.map((tool) => tool.name)).toContain('environment');
    const { result } = await replayTrajectory(trajectory);
    expect(result.status).toBe('done');
    const userReply = trajectory.turns[0]?.feedback?.[0] as string;
    const toolTexts = result.messages.flatMap((message) =>
      message.role === 'tool' && message.result.status === 'ok' ? [message.result.output] : [],
    );
    expect(toolTexts).toContain(userReply);
  });
});

describe('the fast path agrees with the loop', () => {
  for (const [name, controller] of [
    ['a turn cap of 30', turnCap(30)],
    ['reminders, an extension, events and a stop', remindingCap(7, 28)],
  ] as const) {
    it(`gives the same firings, stops and calls as the loop for ${name}`, async () => {
      const runs = [...sample(mini), ...sample(tau), ...sample(sweAgent)];
      expect(runs.length).toBeGreaterThan(25);
      let stops = 0;
      for (const trajectory of runs) {
        const fast = simulateController(trajectory, controller);
        const { trace: slow } = await replayTrajectory(trajectory, { controller });
        const strip = (trace: typeof fast) =>
          trace.firings.map(({ turn, kind, name }) => ({ turn, kind, name }));
        expect(strip(fast), trajectory.id).toEqual(strip(slow));
        expect(fast.stop?.turn, trajectory.id).toBe(slow.stop?.turn);
        expect(fast.modelCalls, trajectory.id).toBe(slow.modelCalls);
        if (fast.stop !== undefined) stops += 1;
      }
      expect(stops).toBeGreaterThan(0);
    });
  }
});
