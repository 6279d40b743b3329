import { readFile, writeFile } from 'node:fs/promises';
import { turnFeatureNames } from '@reins/controller';
import { z } from 'zod';
import { TrajectoryFormatError } from './errors/trajectory-format-error.js';
import { describeJsonValue, parseJsonText } from './json-reader.js';

const percentilesSchema = z.object({
  p50: z.number(),
  p75: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
});

/** A calibrated turn budget; see `calibrateTurnBudgets`. */
export const turnBudgetSchema = z.object({
  maxTurns: z.number().int().positive(),
  runs: z.number().int().nonnegative(),
  turnPercentiles: percentilesSchema,
  costPercentiles: percentilesSchema,
  resolvedLostFraction: z.number().min(0).max(1),
});

/** The predicted-failure scorer: a logistic regression over turn features, and its threshold. */
export const failureScorerSchema = z
  .object({
    kind: z.literal('logistic'),
    features: z.array(z.enum(turnFeatureNames)),
    weights: z.array(z.number()),
    bias: z.number(),
    means: z.array(z.number()),
    scales: z.array(z.number().positive()),
    threshold: z.number(),
    minTurn: z.number().int().nonnegative(),
  })
  .refine(
    (scorer) =>
      scorer.weights.length === scorer.features.length &&
      scorer.means.length === scorer.features.length &&
      scorer.scales.length === scorer.features.length,
    { message: 'weights, means and scales need one entry per feature', path: ['weights'] },
  );

const intervalSchema = z.object({ estimate: z.number(), low: z.number(), high: z.number() });

/** What a calibrated policy is expected to do on unseen runs; see `HeldOutEstimate`. */
export const heldOutEstimateSchema = z.object({
  savedFractionOfUnresolvedCost: intervalSchema,
  resolvedLostFraction: intervalSchema,
  resolvedLostUpperBound: z.number(),
  confidence: z.number().gt(0).lt(1),
  predictionRuns: z.number().int().positive(),
  repeats: z.number().int().nonnegative(),
  folds: z.number().int().positive(),
});

/** Held-out results stored with a policy, so a reader knows what to expect of it. */
export const policyEvidenceSchema = z.object({
  runs: z.number().int().nonnegative(),
  resolved: z.number().int().nonnegative(),
  maxResolvedLoss: z.number(),
  folds: z.number().int().positive(),
  savedFractionOfUnresolvedCost: z.number(),
  resolvedLostFraction: z.number(),
  turnCapSavedFractionOfUnresolvedCost: z.number().optional(),
  turnCapResolvedLostFraction: z.number().optional(),
  /** Which policy calibration wrote: cap and scorer, cap alone, or the safest cap. */
  rung: z.enum(['cap-and-scorer', 'cap', 'safest']).optional(),
  /** The estimate for unseen runs, with its interval (see `estimateHeldOut`). */
  heldOut: heldOutEstimateSchema.optional(),
  /** Why a bolder policy was not written. */
  thinEvidence: z.string().optional(),
});

/**
 * A Reins policy file (version 1): calibrated turn budgets (overall and per model) and the
 * predicted-failure scorer, with the held-out evidence they were chosen on. `createController`
 * of `@reins/controller` loads it; `createPolicyController` here evaluates it.
 *
 * @example
 * ```ts
 * const policy = policySchema.parse(JSON.parse(await readFile('policy.json', 'utf8')));
 * ```
 */
export const policySchema = z.object({
  format: z.literal('reins.policy'),
  version: z.literal(1),
  /** ISO time of calibration. */
  createdAt: z.string(),
  /** Model-name overrides applied (with `normalizeModelId`) before looking a budget up. */
  modelAliases: z.record(z.string(), z.string()).optional(),
  budgets: z.object({
    turns: z.object({
      default: turnBudgetSchema,
      perModel: z.record(z.string(), turnBudgetSchema),
    }),
  }),
  scorer: failureScorerSchema.optional(),
  evidence: policyEvidenceSchema.optional(),
});
/** A Reins policy file; see {@link policySchema}. */
export type Policy = z.infer<typeof policySchema>;

/**
 * Parses and validates a policy.
 * @param value - parsed JSON.
 * @param file - where it came from, for errors.
 * @throws {TrajectoryFormatError} naming the field that is wrong.
 * @example
 * ```ts
 * const policy = parsePolicy(JSON.parse(text), 'policy.json');
 * ```
 */
export function parsePolicy(value: unknown, file = '<input>'): Policy {
  const parsed = policySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const keys = issue?.path ?? [];
  let found: unknown = value;
  for (const key of keys)
    found =
      typeof found === 'object' && found !== null
        ? (found as Record<PropertyKey, unknown>)[key as PropertyKey]
        : undefined;
  throw new TrajectoryFormatError({
    file,
    path: keys
      .map((key, index) =>
        typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`,
      )
      .join(''),
    expected: issue?.message ?? 'a Reins policy',
    received: describeJsonValue(found),
    hint: "A policy has format 'reins.policy', version 1; write it with calibratePolicy() and writePolicy().",
  });
}

/**
 * Reads and validates a policy file.
 * @example
 * ```ts
 * const policy = await readPolicy('policy.json');
 * ```
 */
export async function readPolicy(file: string): Promise<Policy> {
  return parsePolicy(parseJsonText(await readFile(file, 'utf8'), file), file);
}

/**
 * Validates and writes a policy file (pretty JSON).
 * @example
 * ```ts
 * await writePolicy('policy.json', policy);
 * ```
 */
export async function writePolicy(file: string, policy: Policy): Promise<void> {
  await writeFile(file, `${JSON.stringify(policySchema.parse(policy), null, 2)}\n`, 'utf8');
}
