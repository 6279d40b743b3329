import { InvalidOptionsError } from '@reins/core';
import type { ServerParameters } from './server-parameters.js';
import { llama8bOnOneH100 } from './serving-configuration.js';
import type { ServingPolicy } from './serving-policy.js';
import type { Program } from './workload.js';

/** Options of {@link simulate}. */
export interface SimulateOptions {
  readonly programs: readonly Program[];
  readonly policy: ServingPolicy;
  /** @defaultValue `llama8bOnOneH100` */
  readonly server?: ServerParameters;
  /**
   * Engine steps after which the simulation gives up (a guard against a stuck configuration).
   * @defaultValue 50 000 000
   */
  readonly maxSteps?: number;
}

/** What one simulation measured. */
export interface SimulationResult {
  readonly policy: string;
  readonly programs: number;
  /** Mean job completion time (program arrival to its last response), in milliseconds. */
  readonly meanJobMs: number;
  readonly p95JobMs: number;
  /** Completion time of each program, in input order. */
  readonly jobMs: readonly number[];
  /** From the first arrival to the last completion. */
  readonly makespanMs: number;
  /** Programs completed per minute of makespan. */
  readonly programsPerMinute: number;
  /** Prompt tokens of every admitted request (re-admissions after preemption included). */
  readonly promptTokens: number;
  /** Prompt tokens found in the cache. */
  readonly cachedPromptTokens: number;
  /** `cachedPromptTokens / promptTokens`. */
  readonly cacheHitRate: number;
  /** Prefill tokens computed. */
  readonly prefillTokens: number;
  /** Prefill tokens computed again: the program had held them in its cache before. */
  readonly recomputedPrefillTokens: number;
  /** Idle caches evicted. */
  readonly evictions: number;
  /** Running requests preempted (their cache freed, restarted later). */
  readonly preemptions: number;
  /** Pins granted. */
  readonly pins: number;
  /** Engine steps simulated. */
  readonly steps: number;
  /** Highest KV use seen, in tokens (never above capacity). */
  readonly peakKvTokens: number;
}

interface ProgramState {
  readonly program: Program;
  readonly index: number;
  turn: number;
  /** KV tokens held (running or idle). */
  kv: number;
  /** Most KV tokens ever computed for it. */
  computed: number;
  pinnedUntil: number;
  lastUsed: number;
  running: boolean;
  doneAt: number;
}

interface Request {
  readonly state: ProgramState;
  readonly priority: number;
  readonly arrivedAt: number;
  prefillLeft: number;
  generated: number;
}

/** A binary min-heap of arrivals by time. */
class ArrivalQueue {
  private readonly times: number[] = [];
  private readonly states: ProgramState[] = [];
  get size(): number {
    return this.times.length;
  }
  peekTime(): number {
    return this.times[0] ?? Number.POSITIVE_INFINITY;
  }
  push(time: number, state: ProgramState): void {
    const times = this.times;
    const states = this.states;
    let index = times.length;
    times.push(time);
    states.push(state);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((times[parent] as number) <= time) break;
      times[index] = times[parent] as number;
      states[index] = states[parent] as ProgramState;
      index = parent;
    }
    times[index] = time;
    states[index] = state;
  }
  pop(): { time: number; state: ProgramState } {
    const times = this.times;
    const states = this.states;
    const top = { time: times[0] as number, state: states[0] as ProgramState };
    const lastTime = times.pop() as number;
    const lastState = states.pop() as ProgramState;
    if (times.length > 0) {
      let index = 0;
      const length = times.length;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= length) break;
        const right = left + 1;
        const child =
          right < length && (times[right] as number) < (times[left] as number) ? right : left;
        if ((times[child] as number) >= lastTime) break;
        times[index] = times[child] as number;
        states[index] = states[child] as ProgramState;
        index = child;
      }
      times[index] = lastTime;
      states[index] = lastState;
    }
    return top;
  }
}

/** Inserts by ascending priority, after equal ones (stable FCFS). */
function insertByPriority(list: Request[], request: Request): void {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle] as Request).priority <= request.priority) low = middle + 1;
    else high = middle;
  }
  list.splice(low, 0, request);
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  ] as number;
}

/**
 * Simulates one model server serving agent programs, step by step, as a discrete-event
 * simulation: requests arrive (a program's first call at its arrival, each later call when the
 * previous call's tool pause ends), wait in a queue ordered by the policy, are admitted when
 * their uncached prompt fits in the KV cache (evicting idle, unpinned caches least recently used
 * first), run with continuous batching and chunked prefill under a token budget, and on decode
 * growth beyond capacity preempt the lowest-priority running request (its cache is freed and it
 * restarts). After each response the policy may pin the program's cache for a TTL; pinned caches
 * are never evicted before their pin expires.
 *
 * @param options - programs, policy, server parameters.
 * @returns job completion times, throughput, cache hits, recomputation, evictions, preemptions.
 * @throws {InvalidOptionsError} when a turn can never fit in the cache, or the step guard trips.
 * @example
 * ```ts
 * const programs = createWorkload({ templates, programs: 200, arrivalsPerSecond: 0.3 });
 * const lru = simulate({ programs, policy: createLruPolicy() });
 * const reins = simulate({ programs, policy: createReinsHintsPolicy({ predictor }) });
 * console.log(lru.meanJobMs / reins.meanJobMs);
 * ```
 */
export function simulate(options: SimulateOptions): SimulationResult {
  const server = options.server ?? llama8bOnOneH100;
  const block = server.blockTokens ?? 1;
  const prefillPerContext = server.prefillMsPerTokenPerContextToken ?? 0;
  /** Tokens of memory `tokens` take: whole blocks. */
  const held = (tokens: number) => Math.ceil(tokens / block) * block;
  const { policy } = options;
  const maxSteps = options.maxSteps ?? 50_000_000;
  const states: ProgramState[] = options.programs.map((program, index) => {
    for (const [turnIndex, turn] of program.turns.entries()) {
      const needs = held(turn.promptTokens + turn.outputTokens + 1);
      if (needs > server.capacityTokens) {
        throw new InvalidOptionsError(
          'programs',
          `Program '${program.id}' turn ${turnIndex + 1} needs ${needs} KV tokens; the server holds ${server.capacityTokens}. Cut the context with fromTrajectory({ maxContextTokens }) or raise capacityTokens.`,
        );
      }
    }
    return {
      program,
      index,
      turn: 0,
      kv: 0,
      computed: 0,
      pinnedUntil: Number.NEGATIVE_INFINITY,
      lastUsed: 0,
      running: false,
      doneAt: Number.NaN,
    };
  });
  const arrivals = new ArrivalQueue();
  for (const state of states) {
    if (state.program.turns.length > 0) arrivals.push(state.program.arrivalMs, state);
    else state.doneAt = state.program.arrivalMs;
  }
  const waiting: Request[] = [];
  const running: Request[] = [];
  const idle = new Set<ProgramState>();
  let used = 0;
  let now = 0;
  let remaining = states.filter((state) => state.program.turns.length > 0).length;
  const totals = {
    promptTokens: 0,
    cachedPromptTokens: 0,
    prefillTokens: 0,
    recomputedPrefillTokens: 0,
    evictions: 0,
    preemptions: 0,
    pins: 0,
    steps: 0,
    peakKvTokens: 0,
  };

  const free = () => server.capacityTokens - used;
  /** Sets what a program's cache holds, keeping `used` the sum of whole blocks held. */
  const setKv = (state: ProgramState, tokens: number) => {
    used += held(tokens) - held(state.kv);
    state.kv = tokens;
  };
  /** Evicts idle unpinned caches, least recently used first, until `tokens` are free. */
  const evictFor = (tokens: number, keep: ProgramState | undefined): boolean => {
    while (free() < tokens) {
      let victim: ProgramState | undefined;
      for (const state of idle) {
        if (state === keep || state.pinnedUntil > now) continue;
        if (victim === undefined || state.lastUsed < victim.lastUsed) victim = state;
      }
      if (victim === undefined) return false;
      setKv(victim, 0);
      idle.delete(victim);
      totals.evictions++;
    }
    return true;
  };
  /**
   * Memory that no admission can reclaim, as vLLM's `kv_cache_usage_perc` reports it: blocks of
   * running requests and of pinned caches. An idle unpinned cache lies in vLLM's free-block queue
   * (still found by its prefix hash, but free), and so does the cache of the request that just
   * finished, whose pin is being decided.
   */
  const heldByOthers = (finished: ProgramState): number => {
    let evictable = held(finished.kv);
    for (const state of idle) if (state.pinnedUntil <= now) evictable += held(state.kv);
    return used - evictable;
  };
  const priorityOf = (state: ProgramState, time: number) =>
    policy.scheduling === 'program-fcfs' ? state.program.arrivalMs : time;
  const enqueue = (state: ProgramState, time: number) => {
    insertByPriority(waiting, {
      state,
      priority: priorityOf(state, time),
      arrivedAt: time,
      prefillLeft: 0,
      generated: 0,
    });
  };

  while (remaining > 0) {
    while (arrivals.size > 0 && arrivals.peekTime() <= now) {
      const { time, state } = arrivals.pop();
      if (state.turn > 0)
        policy.observeTool?.(state.program, state.turn - 1, time - state.lastUsed);
      enqueue(state, time);
    }

    // admit waiting requests in priority order while their uncached prompt fits
    while (waiting.length > 0 && running.length < server.maxRunningRequests) {
      const request = waiting[0] as Request;
      const { state } = request;
      const turn = state.program.turns[state.turn] as Program['turns'][number];
      const prompt = turn.promptTokens;
      // the prefix is found in whole blocks, and at least the last prompt token is computed,
      // as vLLM does on a full prefix hit; what lies beyond is freed
      const reusable = Math.min(Math.floor(state.kv / block) * block, prompt - 1);
      if (state.kv > reusable) setKv(state, reusable);
      // a shorter prompt than before is a new history: what lay beyond it is no prefix of it
      if (state.computed > prompt) state.computed = prompt;
      const hit = state.kv;
      if (!evictFor(held(prompt + 1) - held(hit), state)) break;
      waiting.shift();
      idle.delete(state);
      state.running = true;
      setKv(state, prompt + 1);
      request.prefillLeft = prompt - hit;
      totals.promptTokens += prompt;
      totals.cachedPromptTokens += hit;
      totals.recomputedPrefillTokens += Math.max(0, Math.min(prompt - 1, state.computed) - hit);
      insertByPriority(running, request);
    }

    // decode growth: one token per decoding request, a new block when the last one is full;
    // preempt from the lowest priority when no idle cache can be evicted for it
    let decoding = 0;
    let growth = 0;
    const isDecoding = (request: Request) => request.prefillLeft === 0 && request.generated > 0;
    const growthOf = (request: Request) => held(request.state.kv + 1) - held(request.state.kv);
    for (const request of running) {
      if (!isDecoding(request)) continue;
      decoding++;
      growth += growthOf(request);
    }
    while (decoding > 0 && !evictFor(growth, undefined)) {
      const victim = running.pop() as Request;
      if (isDecoding(victim)) {
        decoding--;
        growth -= growthOf(victim);
      }
      setKv(victim.state, 0);
      victim.state.running = false;
      totals.preemptions++;
      insertByPriority(waiting, { ...victim, prefillLeft: 0, generated: 0 });
    }

    let budget = server.maxBatchTokens - decoding;
    let prefill = 0;
    let prefillMs = 0;
    let context = 0;
    const chunks: number[] = [];
    for (const request of running) {
      context += request.state.kv;
      if (request.prefillLeft > 0 && budget > 0) {
        const chunk = Math.min(request.prefillLeft, budget);
        const prompt = (request.state.program.turns[request.state.turn] as Program['turns'][number])
          .promptTokens;
        // attention of the chunk's tokens over the context before each of them
        const before = prompt - request.prefillLeft + (chunk - 1) / 2;
        budget -= chunk;
        prefill += chunk;
        prefillMs += chunk * (server.prefillMsPerToken + before * prefillPerContext);
        chunks.push(chunk);
      } else chunks.push(0);
    }

    if (prefill === 0 && decoding === 0) {
      // nothing can run: wait for the next arrival or the next pin to expire
      let next = arrivals.peekTime();
      if (waiting.length > 0) {
        for (const state of idle)
          if (state.pinnedUntil > now) next = Math.min(next, state.pinnedUntil);
      }
      if (!Number.isFinite(next)) {
        throw new InvalidOptionsError(
          'server',
          `The simulation is stuck at ${now} ms with ${waiting.length} waiting requests and nothing to run. Raise capacityTokens or maxRunningRequests.`,
        );
      }
      now = Math.max(now, next);
      continue;
    }

    if (++totals.steps > maxSteps) {
      throw new InvalidOptionsError(
        'maxSteps',
        `The simulation passed ${maxSteps} steps at ${Math.round(now)} ms with ${remaining} programs unfinished. Raise maxSteps or simulate fewer programs.`,
      );
    }
    now +=
      server.stepBaseMs +
      prefillMs +
      decoding * server.decodeMsPerRequest +
      context * server.decodeMsPerContextToken;
    totals.prefillTokens += prefill;
    if (used > totals.peakKvTokens) totals.peakKvTokens = used;

    const finished: Request[] = [];
    for (let index = 0; index < running.length; index++) {
      const request = running[index] as Request;
      const chunk = chunks[index] as number;
      if (request.prefillLeft > 0) {
        request.prefillLeft -= chunk;
        if (request.prefillLeft === 0) request.generated = 1; // the last chunk samples the first token
      } else if (request.generated > 0) {
        request.generated++;
        setKv(request.state, request.state.kv + 1);
      }
      const turn = request.state.program.turns[request.state.turn] as Program['turns'][number];
      if (request.prefillLeft === 0 && request.generated >= turn.outputTokens)
        finished.push(request);
    }
    for (const request of finished) {
      running.splice(running.indexOf(request), 1);
      const { state } = request;
      state.running = false;
      state.computed = Math.max(state.computed, state.kv);
      state.lastUsed = now;
      const turnIndex = state.turn;
      const turn = state.program.turns[turnIndex] as Program['turns'][number];
      const isLastStep = turnIndex === state.program.turns.length - 1;
      const decision = policy.pin?.({
        program: state.program,
        turnIndex,
        contextTokens: state.kv,
        isLastStep,
        nowMs: now,
        pressure: {
          kvUsage: heldByOthers(state) / server.capacityTokens,
          waitingRequests: waiting.length,
          runningRequests: running.length,
        },
      });
      state.turn++;
      if (isLastStep) {
        setKv(state, 0);
        state.doneAt = now;
        remaining--;
        continue;
      }
      if (decision?.pin === true && decision.ttlMs > 0) {
        state.pinnedUntil = now + decision.ttlMs;
        totals.pins++;
      }
      idle.add(state);
      arrivals.push(now + turn.pauseMs, state);
    }
  }

  const jobMs = states.map((state) => state.doneAt - state.program.arrivalMs);
  const sorted = [...jobMs].sort((a, b) => a - b);
  const first = Math.min(...options.programs.map((program) => program.arrivalMs));
  const last = Math.max(...states.map((state) => state.doneAt));
  const makespanMs = options.programs.length === 0 ? 0 : last - first;
  return {
    policy: policy.name,
    programs: options.programs.length,
    meanJobMs: jobMs.length === 0 ? 0 : jobMs.reduce((sum, value) => sum + value, 0) / jobMs.length,
    p95JobMs: percentile(sorted, 0.95),
    jobMs,
    makespanMs,
    programsPerMinute: makespanMs > 0 ? (options.programs.length / makespanMs) * 60_000 : 0,
    ...totals,
    cacheHitRate: totals.promptTokens === 0 ? 0 : totals.cachedPromptTokens / totals.promptTokens,
  };
}
