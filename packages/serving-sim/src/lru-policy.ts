import type { ServingPolicy } from './serving-policy.js';

/**
 * vLLM's behaviour: first-come-first-served per request, no pins; a finished request's cache
 * stays as evictable prefix cache and is evicted least recently used first.
 *
 * @returns the policy, named `lru`.
 * @example
 * ```ts
 * simulate({ programs, policy: createLruPolicy() });
 * ```
 */
export function createLruPolicy(): ServingPolicy {
  return { name: 'lru', scheduling: 'fcfs' };
}
