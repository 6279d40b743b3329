import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentEvent } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { addedRequirement } from './coding-task.js';
import { createScriptedSession } from './create-scripted-session.js';
import { createWorkspace } from './create-workspace.js';
import { readTurnHistory } from './read-turn-history.js';
import { runCodingAgent } from './run-coding-agent.js';
import { verifyWorkspace } from './verify-workspace.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const historyPath = resolve(repoRoot, '../shared/data/tool-times/swe-bench-pro-runs.csv');

async function loadHistory() {
  if (!existsSync(historyPath)) {
    throw new Error(
      `The recorded runs are missing: ${historyPath}. Put the shared data folder next to the repository (../shared/data).`,
    );
  }
  return readTurnHistory(historyPath);
}

describe('the bundled project', () => {
  it('starts with failing tests and without the added requirement', async () => {
    const verification = await verifyWorkspace(await createWorkspace());
    expect(verification).toMatchObject({
      testsPass: false,
      negativeAmountsFormatted: false,
      negativeAmountsTested: false,
    });
    expect(verification.testOutput).toContain('expected: 2520');
    expect(verification.testOutput).toContain('actual: 2790');
  });
});

describe('the coding agent on the scripted session', () => {
  it('fixes the project, is caught repeating a command, and satisfies the added requirement', async () => {
    const history = await loadHistory();
    const backend = createScriptedSession();
    const events: AgentEvent[] = [];
    const { result, verification } = await runCodingAgent({
      backend,
      history,
      onEvent: (event) => events.push(event),
    });

    // The workspace is checked by running its tests, not by trusting the final answer.
    expect(result.status).toBe('done');
    expect(verification).toMatchObject({
      testsPass: true,
      negativeAmountsFormatted: true,
      negativeAmountsTested: true,
    });
    expect(verification.testOutput).toMatch(/# pass 5\n# fail 0/);

    // The turn budget is the 75th percentile of the recorded runs, reminded every turn.
    const sorted = history.map((run) => run.turns).sort((a, b) => a - b);
    const rank = 0.75 * (sorted.length - 1);
    const low = sorted[Math.floor(rank)] as number;
    const high = sorted[Math.ceil(rank)] as number;
    const expectedLimit = Math.ceil(low + (high - low) * (rank - Math.floor(rank)));
    const reminders = events.filter((event) => event.type === 'budget.reminder');
    expect(reminders.length).toBe(result.turns - 1);
    expect(reminders[0]).toMatchObject({ evidence: { allowedTurns: expectedLimit } });

    // Four identical test runs in a row: the stuck monitor fires, and the model is warned.
    const stuck = events.filter((event) => event.type === 'stuck.detected');
    expect(stuck).toHaveLength(1);
    expect(stuck[0]).toMatchObject({ turn: 6, evidence: { repeats: 4 } });
    const warned = backend.requests[6]?.messages.at(-1);
    expect(warned).toMatchObject({ role: 'user' });
    expect(JSON.stringify(warned)).toMatch(/You appear to be stuck/);
    expect(JSON.stringify(backend.requests[5]?.messages)).not.toMatch(/You appear to be stuck/);

    // The user's addition reaches the model before turn 8, and not before.
    const applied = events.find((event) => event.type === 'interrupt.applied');
    expect(applied).toMatchObject({ interrupt: { kind: 'addition', text: addedRequirement } });
    expect(JSON.stringify(backend.requests[7]?.messages)).toContain('formatMoney(-550)');
    expect(JSON.stringify(backend.requests[6]?.messages)).not.toContain('formatMoney(-550)');

    // The cost cap saw every call and stayed under it.
    expect(events.some((event) => event.type === 'budget.exhausted')).toBe(false);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });

  it('stops at the turn budget when the history says runs are short', async () => {
    const { result, verification } = await runCodingAgent({
      history: [{ model: 'other', turns: 5 }],
      interruptAtTurn: false,
    });
    // Five turns of work, then the final answer the budget asks for (without tools).
    expect(result).toMatchObject({ status: 'stopped', reason: 'turn-budget', turns: 6 });
    expect(verification.testsPass).toBe(false);
  });
});
