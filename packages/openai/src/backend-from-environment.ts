import { InvalidOptionsError } from '@reins/core';
import {
  createOpenAICompatible,
  type OpenAICompatibleBackend,
  type OpenAICompatibleSettings,
} from './create-openai-compatible.js';
import { type OpenAIFlavor, openAIFlavors } from './openai-flavor.js';

/** The environment variables {@link createOpenAICompatibleFromEnvironment} reads. */
export interface BackendEnvironment {
  /** The model name; a live backend is made only when it is set. */
  readonly REINS_MODEL?: string | undefined;
  /** The server's base URL (ending in `/v1`); the flavour's default when absent. */
  readonly OPENAI_BASE_URL?: string | undefined;
  /** The API key, when the server needs one. */
  readonly OPENAI_API_KEY?: string | undefined;
  /** One of `openai`, `vllm`, `sglang`, `llamacpp`, `ollama`; `openai` when absent. */
  readonly REINS_FLAVOR?: string | undefined;
}

/**
 * A live backend from environment variables, or `undefined` when `REINS_MODEL` is not set, so
 * examples and tools run on a live model when one is configured and on a scripted one otherwise.
 *
 * @param environment - the variables; `process.env` by default.
 * @param settings - further settings for {@link createOpenAICompatible}.
 * @returns the backend, or `undefined` without `REINS_MODEL`.
 * @throws {InvalidOptionsError} when `REINS_FLAVOR` names no known flavour, or `REINS_MODEL` is
 *   set for OpenAI without `OPENAI_API_KEY`.
 * @example
 * ```ts
 * const backend = createOpenAICompatibleFromEnvironment() ?? createScriptedBackend({ responses });
 * ```
 */
export function createOpenAICompatibleFromEnvironment(
  environment: BackendEnvironment = process.env,
  settings: Omit<OpenAICompatibleSettings, 'model' | 'flavor' | 'baseURL' | 'apiKey'> = {},
): OpenAICompatibleBackend | undefined {
  const model = environment.REINS_MODEL?.trim();
  if (model === undefined || model === '') return undefined;
  const flavor = (environment.REINS_FLAVOR?.trim() || 'openai') as OpenAIFlavor;
  if (!openAIFlavors.includes(flavor)) {
    throw new InvalidOptionsError(
      'REINS_FLAVOR',
      `REINS_FLAVOR is '${flavor}'; use one of ${openAIFlavors.join(', ')}, or leave it unset for OpenAI.`,
    );
  }
  const baseURL = environment.OPENAI_BASE_URL?.trim() || undefined;
  const apiKey = environment.OPENAI_API_KEY?.trim() || undefined;
  if (flavor === 'openai' && baseURL === undefined && apiKey === undefined) {
    throw new InvalidOptionsError(
      'OPENAI_API_KEY',
      `REINS_MODEL is '${model}' but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set. Set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL (and REINS_FLAVOR) for your own server, or unset REINS_MODEL to use the scripted model.`,
    );
  }
  return createOpenAICompatible({
    ...settings,
    model,
    flavor,
    ...(baseURL === undefined ? {} : { baseURL }),
    ...(apiKey === undefined ? {} : { apiKey }),
  });
}
