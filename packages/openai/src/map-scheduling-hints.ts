import type { SchedulingHints } from '@reins/core';
import type { OpenAIFlavor } from './openai-flavor.js';

/** Server features that must be switched on at the server before their fields may be sent. */
export interface HintFieldOptions {
  /**
   * Send `priority` (vLLM with `--scheduling-policy priority`, SGLang with
   * `--enable-priority-scheduling`). Off by default: a server without priority scheduling
   * rejects a non-zero priority.
   * @defaultValue false
   */
  readonly priorityScheduling?: boolean;
  /**
   * Send `job_id` and `is_last_step` for the Continuum fork of vLLM (program-level KV-cache
   * time-to-live). Off by default.
   * @defaultValue false
   */
  readonly continuum?: boolean;
  /**
   * Send the program id in this header for session-affine routing (e.g. the vLLM production
   * stack router's `--session-key`).
   */
  readonly sessionHeader?: string;
  /**
   * llama.cpp: the number of server slots (`--parallel`). When set, each program is pinned to
   * slot `hash(programId) % slots` with `id_slot`, so its prompt cache stays in one slot.
   */
  readonly slots?: number;
  /**
   * OpenAI: keep-alive above which `prompt_cache_retention: '24h'` is asked for (the default
   * in-memory retention lasts 5 to 10 minutes).
   * @defaultValue 600 000 ms
   */
  readonly extendedRetentionAboveMs?: number;
}

/** Request fields and headers produced from hints. */
export interface MappedHints {
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
}

/**
 * Maps the controller's scheduling hints to the request fields the flavour's server accepts.
 * Fields a server would reject are never produced; `hints.extra` is passed through as it is.
 *
 * @param flavor - the server flavour.
 * @param hints - the hints of this request, if any.
 * @param options - which opt-in server features are on.
 * @param attempt - the attempt number (1-based), to keep request ids unique across retries.
 * @returns body fields and headers to merge into the request.
 * @example
 * ```ts
 * mapSchedulingHints('llamacpp', { programId: 'run-1', turn: 2 }, { slots: 4 }, 1);
 * // { body: { cache_prompt: true, id_slot: 2 }, headers: {} }
 * ```
 */
export function mapSchedulingHints(
  flavor: OpenAIFlavor,
  hints: SchedulingHints | undefined,
  options: HintFieldOptions = {},
  attempt = 1,
): MappedHints {
  const body: Record<string, unknown> = {};
  const headers: Record<string, string> = {};
  if (flavor === 'llamacpp') body.cache_prompt = true;
  if (hints === undefined) return { body, headers };
  const requestId = `${hints.programId}-t${hints.turn}-a${attempt}`;
  switch (flavor) {
    case 'openai': {
      body.prompt_cache_key = hints.cacheKey ?? hints.programId;
      const threshold = options.extendedRetentionAboveMs ?? 600_000;
      if (hints.ttlMs !== undefined)
        body.prompt_cache_retention = hints.ttlMs > threshold ? '24h' : 'in_memory';
      break;
    }
    case 'vllm':
      body.request_id = requestId;
      if (options.priorityScheduling === true && hints.priority !== undefined)
        body.priority = Math.round(hints.priority);
      if (options.continuum === true) {
        body.job_id = hints.programId;
        body.is_last_step = hints.isLastStep ?? false;
      }
      break;
    case 'sglang':
      body.rid = requestId;
      if (options.priorityScheduling === true && hints.priority !== undefined)
        body.priority = Math.round(hints.priority);
      break;
    case 'llamacpp':
      if (options.slots !== undefined && options.slots > 0)
        body.id_slot = slotOf(hints.programId, options.slots);
      break;
    case 'ollama':
    case 'xai':
      break;
  }
  if (options.sessionHeader !== undefined) headers[options.sessionHeader] = hints.programId;
  if (hints.extra !== undefined) Object.assign(body, hints.extra);
  return { body, headers };
}

/** A stable slot for a program: FNV-1a of its id, modulo the slot count. */
function slotOf(programId: string, slots: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < programId.length; index++) {
    hash ^= programId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % slots;
}
