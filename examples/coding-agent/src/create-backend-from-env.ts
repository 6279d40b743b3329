import type { ModelPriceTable } from '@reins/controller';
import type { ModelBackend } from '@reins/core';
import { type BackendEnvironment, createOpenAICompatibleFromEnvironment } from '@reins/openai';

/** A live backend and the prices to cap its cost with. */
export interface LiveModel {
  readonly backend: ModelBackend;
  readonly prices: ModelPriceTable;
}

/**
 * A live OpenAI-compatible backend when `REINS_MODEL` is set (with `OPENAI_BASE_URL`,
 * `OPENAI_API_KEY` and `REINS_FLAVOR` as the server needs them), else `undefined`: the example
 * then plays its scripted session. Prices per million tokens, for the cost cap, come from
 * `REINS_INPUT_PRICE` and `REINS_OUTPUT_PRICE` (US dollars), defaulting to 2 and 8.
 *
 * @param environment - the environment to read.
 * @returns the live model, or `undefined` when none is configured.
 * @example
 * ```ts
 * const live = createBackendFromEnv(process.env);
 * const backend = live?.backend ?? createScriptedSession();
 * ```
 */
export function createBackendFromEnv(
  environment: BackendEnvironment & Readonly<Record<string, string | undefined>>,
): LiveModel | undefined {
  const backend = createOpenAICompatibleFromEnvironment(environment);
  if (backend === undefined) return undefined;
  const price = (name: string, fallback: number) => {
    const text = environment[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!(value >= 0)) {
      throw new Error(
        `${name} is '${text}'; set it to a price in US dollars per million tokens, e.g. ${name}=2.5.`,
      );
    }
    return value;
  };
  return {
    backend,
    prices: {
      [backend.modelId]: {
        inputPerMillion: price('REINS_INPUT_PRICE', 2),
        outputPerMillion: price('REINS_OUTPUT_PRICE', 8),
      },
    },
  };
}
