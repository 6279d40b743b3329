import { InvalidOptionsError } from '@reins/core';
import { createRandom, type Random } from './random.js';
import type { ProgramTemplate } from './workload.js';

/** Options of {@link withHeavyTailedPauses}. */
export interface HeavyTailedPausesOptions {
  /** @defaultValue 1 */
  readonly seed?: number;
  /** Median pause over tools and programs, in milliseconds. @defaultValue 1500 */
  readonly medianMs?: number;
  /** Spread (log-normal σ) of the median between tool keys. @defaultValue 0.8 */
  readonly toolSpread?: number;
  /** Spread (log-normal σ) of a tool's median between programs. @defaultValue 0.8 */
  readonly programSpread?: number;
  /** Spread (log-normal σ) of one tool's pauses within a program. @defaultValue 0.4 */
  readonly callSpread?: number;
  /** Share of pauses in the Pareto tail. @defaultValue 0.15 */
  readonly tailShare?: number;
  /** Pareto shape of the tail (heavier below 2). @defaultValue 1.1 */
  readonly tailShape?: number;
  /** The tail starts at this multiple of the tool's median in the program. @defaultValue 8 */
  readonly tailStart?: number;
  /** Longest pause, in milliseconds. @defaultValue 600 000 */
  readonly maxMs?: number;
}

const normal = (random: Random) =>
  Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** A small stable hash of a tool key, so a key's median is the same in every program. */
function hashOf(text: string): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}

/**
 * A synthetic, heavy-tailed tool-duration mix on the recorded programs' token shapes: each tool
 * key has a median (log-normal across keys), each program scales it (log-normal across
 * programs: one repository's tests are slower than another's), and each pause is log-normal
 * around that median or, with `tailShare`, Pareto from `tailStart` × median (a hung build, a
 * long test run). Tokens and tool keys are kept; the last call still has no pause.
 *
 * @param templates - recorded program shapes.
 * @param options - seed and the mix's shape.
 * @returns the templates with new pauses.
 * @throws {InvalidOptionsError} for a tail share outside [0, 1] or a non-positive shape.
 * @example
 * ```ts
 * const heavy = withHeavyTailedPauses(templates, { seed: 7 });
 * ```
 */
export function withHeavyTailedPauses(
  templates: readonly ProgramTemplate[],
  options: HeavyTailedPausesOptions = {},
): ProgramTemplate[] {
  const settings = {
    seed: 1,
    medianMs: 1500,
    toolSpread: 0.8,
    programSpread: 0.8,
    callSpread: 0.4,
    tailShare: 0.15,
    tailShape: 1.1,
    tailStart: 8,
    maxMs: 600_000,
    ...options,
  };
  if (!(settings.tailShare >= 0 && settings.tailShare <= 1)) {
    throw new InvalidOptionsError(
      'tailShare',
      `tailShare must be in [0, 1]; got ${String(settings.tailShare)}.`,
    );
  }
  if (!(settings.tailShape > 0) || !(settings.medianMs > 0)) {
    throw new InvalidOptionsError(
      'tailShape',
      `tailShape and medianMs must be > 0; got ${String(settings.tailShape)} and ${String(settings.medianMs)}.`,
    );
  }
  const random = createRandom(settings.seed);
  const toolMedian = (key: string) =>
    settings.medianMs * Math.exp(settings.toolSpread * normal(createRandom(hashOf(key))));
  return templates.map((template) => {
    const medians = new Map<string, number>();
    const last = template.turns.length - 1;
    return {
      id: template.id,
      turns: template.turns.map((turn, index) => {
        if (index === last) return { ...turn, pauseMs: 0 };
        const key = turn.toolKey ?? '';
        let median = medians.get(key);
        if (median === undefined) {
          median = toolMedian(key) * Math.exp(settings.programSpread * normal(random));
          medians.set(key, median);
        }
        const pauseMs =
          random() < settings.tailShare
            ? median * settings.tailStart * (1 - random()) ** (-1 / settings.tailShape)
            : median * Math.exp(settings.callSpread * normal(random));
        return { ...turn, pauseMs: Math.min(settings.maxMs, Math.round(pauseMs)) };
      }),
    };
  });
}
