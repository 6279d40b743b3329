import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkContract,
  createContract,
  limitIdenticalFailingCommands,
  neverEditTestFiles,
  runTestsBeforeSubmitting,
} from '@reins/controller';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../test/shared-data.js';
import { evaluateContracts, toTurnRecords } from './evaluate-contracts.js';
import { importTrajectoryDirectory } from './import-trajectories.js';
import { toContractsSection } from './report/contracts-section.js';
import type { Trajectory } from './trajectory.js';

const folder = sharedData('swe-trajectories/mini-swe-agent-gemini-3-pro');
const testEdits = createContract({ name: 'tests', governance: [neverEditTestFiles()] });
const testedSubmission = createContract({
  name: 'tested',
  governance: [runTestsBeforeSubmitting()],
});
const repeats = createContract({
  name: 'repeats',
  governance: [limitIdenticalFailingCommands(3)],
});

let trajectories: Trajectory[];
beforeAll(async () => {
  ({ trajectories } = await importTrajectoryDirectory(folder));
}, 120_000);

const run = (id: string) => {
  const trajectory = trajectories.find((entry) => entry.id.includes(id));
  if (trajectory === undefined) throw new Error(`No recorded run ${id} in ${folder}.`);
  return { runId: trajectory.id, task: trajectory.task, turns: toTurnRecords(trajectory) };
};

describe('contracts on recorded mini-swe-agent runs', () => {
  it('finds the test edit of astropy-12907 at the step that made it', () => {
    // Step 12 appends a regression test: cat <<'EOF' >> astropy/modeling/tests/test_separable.py
    const check = checkContract(testEdits, run('astropy__astropy-12907'));
    expect(check.violations.map((violation) => violation.turn)).toContain(12);
    expect(check.violations[0]?.evidence.action).toMatch(
      /^bash cat <<'EOF' >> astropy\/modeling\/tests\/test_separable\.py/,
    );
    expect(check.compliance.hard.violatedSteps).toBeGreaterThan(0);
  });

  it('accepts a submission after the tests ran and only a scratch file was deleted; refuses one without a test run', () => {
    // astropy-13033 ends: pytest …/test_sampled.py, pytest -W ignore …, rm update_tests.py, submit.
    expect(checkContract(testedSubmission, run('astropy__astropy-13033')).violations).toEqual([]);
    // astropy-14096 ran only its own scripts (python reproduce_issue.py, test_*.py at the root).
    const refused = checkContract(testedSubmission, run('astropy__astropy-14096'));
    expect(refused.violations.map((violation) => violation.turn)).toEqual([25]);
    expect(refused.compliance.soft).toMatchObject({ episodes: 1, recoveredWithinK: 0 });
  });

  it('counts a command run again after failing three times', () => {
    // astropy-13236 runs `pytest astropy/table/tests/test_mixin.py` again and again while it fails.
    const check = checkContract(repeats, run('astropy__astropy-13236'));
    expect(check.violations.length).toBeGreaterThan(0);
    expect(
      check.violations.every(
        (violation) =>
          violation.evidence.action === 'bash pytest astropy/table/tests/test_mixin.py',
      ),
    ).toBe(true);
  });

  it('pools every recorded step, and its figures agree with the per-rule counts', async () => {
    const names = (await readdir(join(folder, 'trajs'))).filter((name) => name.endsWith('.json'));
    let assistantMessages = 0;
    for (const name of names) {
      const raw = JSON.parse(await readFile(join(folder, 'trajs', name), 'utf8'));
      assistantMessages += raw.messages.filter(
        (message: { role: string }) => message.role === 'assistant',
      ).length;
    }
    const [edits, tested] = evaluateContracts(trajectories, [testEdits, testedSubmission]);
    if (edits === undefined || tested === undefined) throw new Error('Two evaluations expected.');
    expect(edits.runs).toBe(names.length);
    expect(edits.steps).toBe(assistantMessages);
    const violated = edits.rules['governance:never-edit-test-files'];
    expect(edits.hardCompliance).toBeCloseTo(1 - (violated?.steps ?? 0) / edits.steps, 12);
    expect(edits.runsSatisfied).toBe(edits.hardCompliantRuns);
    expect(edits.runsSatisfied).toBe(edits.runs - (violated?.runs ?? 0));
    expect(edits.byOutcome.resolved.runs + edits.byOutcome.unresolved.runs).toBe(edits.runs);
    // A submission is the last step: a refused one is never recovered within the run.
    expect(tested.recoveredWithinK).toBe(0);
    expect(tested.runsSatisfied).toBe(tested.runs - tested.episodes);
    expect(edits.examples.length).toBe(3);

    const html = toContractsSection([edits, tested]);
    expect(html).toContain('<h2>Behavioural contracts</h2>');
    expect(html).toContain(`${edits.runsSatisfied}/${edits.runs}`);
    expect(html).toContain('governance:run-tests-before-submitting');
    expect(toContractsSection([])).toBe('');
  });
});
