import { InvalidOptionsError } from '@reins/core';
import { createRandom } from './random.js';
import type { Program, ProgramTemplate } from './workload.js';

/** Options of {@link createWorkload}. */
export interface WorkloadOptions {
  /** Recorded program shapes to draw from (each is used in turn, then again). */
  readonly templates: readonly ProgramTemplate[];
  /** Programs to generate. */
  readonly programs: number;
  /** Mean arrivals per second of a Poisson process. */
  readonly arrivalsPerSecond: number;
  /** @defaultValue 1 */
  readonly seed?: number;
}

/**
 * Programs arriving as a Poisson process (exponential gaps at the given rate), drawing shapes
 * from the templates in a seeded shuffled order.
 *
 * @param options - templates, count, rate, seed.
 * @returns the programs in arrival order, with ids `<template>#<n>`.
 * @throws {InvalidOptionsError} with no templates or a non-positive rate.
 * @example
 * ```ts
 * const programs = createWorkload({ templates, programs: 200, arrivalsPerSecond: 0.2, seed: 7 });
 * ```
 */
export function createWorkload(options: WorkloadOptions): Program[] {
  if (options.templates.length === 0) {
    throw new InvalidOptionsError(
      'templates',
      'templates is empty; build templates from recorded runs with fromTrajectory().',
    );
  }
  if (!(options.arrivalsPerSecond > 0)) {
    throw new InvalidOptionsError(
      'arrivalsPerSecond',
      `arrivalsPerSecond must be > 0; got ${String(options.arrivalsPerSecond)}.`,
    );
  }
  const random = createRandom(options.seed ?? 1);
  const order = options.templates.map((_, index) => index);
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  const programs: Program[] = [];
  let time = 0;
  for (let index = 0; index < options.programs; index++) {
    const template = options.templates[order[index % order.length] as number] as ProgramTemplate;
    programs.push({ id: `${template.id}#${index}`, arrivalMs: time, turns: template.turns });
    time += (-Math.log(1 - random()) / options.arrivalsPerSecond) * 1000;
  }
  return programs;
}
