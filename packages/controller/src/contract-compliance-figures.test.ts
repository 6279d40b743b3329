import { describe, expect, it } from 'vitest';
import {
  type ContractCompliance,
  summarizeContractCompliance,
  toContractCompliance,
} from './contract-compliance.js';
import { type DriftSums, emptyDriftSums } from './contract-drift.js';
import type { ContractLedger } from './contract-ledger.js';

const satisfaction = { p: 0.5, delta: 0.25, k: 2 };

function ledgerOf(fields: Partial<ContractLedger> = {}): ContractLedger {
  return {
    version: 1,
    contract: 'fixture',
    satisfaction,
    hardRules: 1,
    softRules: 2,
    started: true,
    preconditionsFailed: [],
    steps: 0,
    hardViolatedSteps: 0,
    softComplianceSum: 0,
    ruleViolations: {},
    callCounts: {},
    tracked: {},
    open: {},
    episodes: 0,
    recoveredWithinK: 0,
    recoveryStepsSum: 0,
    drift: emptyDriftSums(),
    lastTurn: 0,
    current: null,
    ...fields,
  };
}

const noDrift = {
  steps: 0,
  mean: 0,
  max: 0,
  alpha: null,
  gamma: null,
  bound: null,
  bounded: null,
};

describe("a run's compliance from its ledger", () => {
  it('is perfect with no step: compliance 1, recovery rate 1, no mean recovery', () => {
    expect(toContractCompliance(ledgerOf())).toEqual({
      contract: 'fixture',
      satisfaction,
      steps: 0,
      preconditionsMet: true,
      preconditionsFailed: [],
      hard: { rules: 1, violatedSteps: 0, compliance: 1 },
      soft: {
        rules: 2,
        compliance: 1,
        episodes: 0,
        recoveredWithinK: 0,
        recoveryRate: 1,
        meanRecoverySteps: null,
      },
      drift: noDrift,
      driftSums: emptyDriftSums(),
      rules: {},
      satisfied: true,
    });
  });

  it('divides the counts by steps and episodes', () => {
    const drift: DriftSums = { ...emptyDriftSums(), steps: 8, sum: 2, max: 0.5, previous: 0 };
    const compliance = toContractCompliance(
      ledgerOf({
        steps: 8,
        hardViolatedSteps: 2,
        softComplianceSum: 6,
        episodes: 4,
        recoveredWithinK: 2,
        recoveryStepsSum: 3,
        drift,
        ruleViolations: { 'invariant:S': { steps: 3, firstTurn: 2 } },
        preconditionsFailed: ['named'],
      }),
    );
    expect(compliance).toEqual({
      contract: 'fixture',
      satisfaction,
      steps: 8,
      preconditionsMet: false,
      preconditionsFailed: ['named'],
      hard: { rules: 1, violatedSteps: 2, compliance: 0.75 }, // 1 − 2/8
      soft: {
        rules: 2,
        compliance: 0.75, // 6/8
        episodes: 4,
        recoveredWithinK: 2,
        recoveryRate: 0.5, // 2/4
        meanRecoverySteps: 1.5, // 3/2
      },
      drift: { ...noDrift, steps: 8, mean: 0.25, max: 0.5 }, // 2/8
      driftSums: drift,
      rules: { 'invariant:S': { steps: 3, firstTurn: 2 } },
      satisfied: false,
    });
  });

  it('satisfies at soft compliance 1 − δ down to a 1e-12 tolerance, and not below', () => {
    // δ = 0.25: soft compliance 0.75 − 1e-12 (one step) is within the tolerance; 0.75 − 2e-12 is not.
    const at = toContractCompliance(ledgerOf({ steps: 1, softComplianceSum: 1 - 0.25 - 1e-12 }));
    expect(at.satisfied).toBe(true);
    const below = toContractCompliance(ledgerOf({ steps: 1, softComplianceSum: 0.75 - 2e-12 }));
    expect(below.satisfied).toBe(false);
    expect(toContractCompliance(ledgerOf({ steps: 4, softComplianceSum: 3 })).satisfied).toBe(true);
  });

  it('is not satisfied with an unrecovered episode or a hard violation', () => {
    const full = { steps: 4, softComplianceSum: 4 };
    expect(
      toContractCompliance(ledgerOf({ ...full, episodes: 2, recoveredWithinK: 1 })).satisfied,
    ).toBe(false);
    expect(toContractCompliance(ledgerOf({ ...full, hardViolatedSteps: 1 })).satisfied).toBe(false);
  });
});

/** One run's compliance; all rules held unless told. */
function runOf(fields: {
  steps?: number;
  violatedSteps?: number;
  soft?: number;
  episodes?: number;
  recovered?: number;
  preconditionsMet?: boolean;
  rules?: Record<string, { steps: number; firstTurn: number }>;
  driftSums?: DriftSums;
}): ContractCompliance {
  const steps = fields.steps ?? 4;
  const episodes = fields.episodes ?? 0;
  const recovered = fields.recovered ?? episodes;
  return {
    contract: 'fixture',
    satisfaction,
    steps,
    preconditionsMet: fields.preconditionsMet ?? true,
    preconditionsFailed: fields.preconditionsMet === false ? ['named'] : [],
    hard: {
      rules: 1,
      violatedSteps: fields.violatedSteps ?? 0,
      compliance: 1 - (fields.violatedSteps ?? 0) / steps,
    },
    soft: {
      rules: 2,
      compliance: fields.soft ?? 1,
      episodes,
      recoveredWithinK: recovered,
      recoveryRate: episodes === 0 ? 1 : recovered / episodes,
      meanRecoverySteps: null,
    },
    drift: noDrift,
    driftSums: fields.driftSums ?? emptyDriftSums(),
    rules: fields.rules ?? {},
    satisfied: false,
  };
}

describe('the compliance of many runs', () => {
  it('of no run: the default (p, δ, k), nothing satisfied, compliance and recovery 1', () => {
    expect(summarizeContractCompliance([])).toEqual({
      contract: 'contract',
      satisfaction: { p: 0.95, delta: 0.1, k: 3 },
      runs: 0,
      steps: 0,
      runsSatisfied: 0,
      satisfiedFraction: 0,
      satisfied: false,
      preconditionsFailedRuns: 0,
      hardCompliantRuns: 0,
      hardCompliance: 1,
      softCompliance: 1,
      episodes: 0,
      recoveredWithinK: 0,
      recoveryRate: 1,
      drift: noDrift,
      rules: {},
    });
    // Even with p = 0 no run is no evidence of satisfaction.
    expect(summarizeContractCompliance([], { p: 0, delta: 0.1, k: 3 }).satisfied).toBe(false);
  });

  it('counts a run as satisfying only when each of its four conditions holds', () => {
    const runs = [
      runOf({}),
      runOf({ preconditionsMet: false }),
      runOf({ violatedSteps: 1 }),
      runOf({ soft: 0.5 }),
      runOf({ episodes: 2, recovered: 1 }),
    ];
    const summary = summarizeContractCompliance(runs);
    expect(summary.runsSatisfied).toBe(1);
    expect(summary.satisfiedFraction).toBe(0.2); // 1/5
    expect(summary.satisfied).toBe(false); // 0.2 < p = 0.5 (the first run's)
    expect(summary.hardCompliantRuns).toBe(4);
    expect(summary.preconditionsFailedRuns).toBe(1);
  });

  it('takes soft compliance 1 − δ down to a 1e-12 tolerance as satisfying, and not below', () => {
    const at = summarizeContractCompliance([runOf({ soft: 1 - 0.25 - 1e-12 })]);
    expect(at.runsSatisfied).toBe(1);
    const below = summarizeContractCompliance([runOf({ soft: 0.75 - 2e-12 })]);
    expect(below.runsSatisfied).toBe(0);
    // The δ given overrides the runs': with δ = 0.5, soft compliance 0.5 satisfies.
    const loose = summarizeContractCompliance([runOf({ soft: 0.5 })], { p: 1, delta: 0.5, k: 2 });
    expect(loose.runsSatisfied).toBe(1);
    expect(loose.satisfied).toBe(true); // 1 ≥ p = 1
  });

  it('is satisfied when the satisfied fraction equals p exactly', () => {
    // 1 of 2 runs: 0.5 ≥ p = 0.5.
    const summary = summarizeContractCompliance([runOf({}), runOf({ soft: 0 })]);
    expect(summary.satisfiedFraction).toBe(0.5);
    expect(summary.satisfied).toBe(true);
  });

  it('pools steps, hard and soft compliance, episodes and rules over the runs', () => {
    const drift = (sum: number, max: number): DriftSums => ({
      ...emptyDriftSums(),
      steps: 4,
      sum,
      max,
    });
    const summary = summarizeContractCompliance([
      runOf({
        steps: 4,
        violatedSteps: 1,
        soft: 0.5,
        episodes: 2,
        recovered: 1,
        rules: { 'invariant:S': { steps: 2, firstTurn: 1 } },
        driftSums: drift(1, 0.5),
      }),
      runOf({
        steps: 4,
        violatedSteps: 2,
        soft: 1,
        episodes: 1,
        recovered: 1,
        rules: {
          'invariant:S': { steps: 1, firstTurn: 3 },
          'governance:G': { steps: 2, firstTurn: 2 },
        },
        driftSums: drift(2, 1),
      }),
    ]);
    expect(summary).toEqual({
      contract: 'fixture',
      satisfaction,
      runs: 2,
      steps: 8,
      runsSatisfied: 0,
      satisfiedFraction: 0,
      satisfied: false,
      preconditionsFailedRuns: 0,
      hardCompliantRuns: 0,
      hardCompliance: 0.625, // 1 − (1 + 2)/8
      softCompliance: 0.75, // (0.5·4 + 1·4)/8
      episodes: 3,
      recoveredWithinK: 2,
      recoveryRate: 2 / 3,
      drift: { ...noDrift, steps: 8, mean: 0.375, max: 1 }, // (1 + 2)/8
      rules: { 'invariant:S': { steps: 3, runs: 2 }, 'governance:G': { steps: 2, runs: 1 } },
    });
  });
});
