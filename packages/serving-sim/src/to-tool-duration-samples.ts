import type { ToolDurationSample } from '@reins/controller';
import type { ProgramTemplate } from './workload.js';

/**
 * The tool durations of program templates, each with the key of the tool before it: what a
 * client's tool-duration predictor would have learnt from those runs.
 *
 * @param templates - program shapes, e.g. from {@link fromTrajectory}.
 * @returns one sample per tool pause (the last call of each program has none).
 * @example
 * ```ts
 * const predictor = createToolDurationPredictor();
 * predictor.seed(toToolDurationSamples(seedTemplates));
 * ```
 */
export function toToolDurationSamples(templates: readonly ProgramTemplate[]): ToolDurationSample[] {
  const samples: ToolDurationSample[] = [];
  for (const template of templates) {
    const last = template.turns.length - 1;
    template.turns.forEach((turn, index) => {
      if (turn.toolKey === undefined || index === last) return;
      const previousKey = index > 0 ? template.turns[index - 1]?.toolKey : undefined;
      samples.push({
        key: turn.toolKey,
        durationMs: turn.pauseMs,
        ...(previousKey === undefined ? {} : { previousKey }),
      });
    });
  }
  return samples;
}
