import type { Interrupt, RunCheckpoint, RunHandle } from '@reins/core';
import { parseControlEntry, type RunControlRequest } from './run-control.js';

/** A promise with its resolver, reset when the condition it waits for becomes false again. */
interface Latch {
  promise: Promise<void>;
  open(): void;
}

function createLatch(): Latch {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * A run a worker holds: applies the control requests addressed to it, in stream order and each
 * once, and knows how far they are durable. An interrupt counts as applied in Redis once a
 * checkpoint that records it is saved (the `cursor` field saved with that checkpoint), so a
 * worker that resumes the run after a crash re-applies exactly the interrupts the checkpoint
 * lacks. Pause, resume and abort are flags on the run, read again by the next worker.
 */
export class HeldRun {
  readonly runId: string;
  /** The run's handle, once started. */
  handle: RunHandle | undefined;
  /** The last control entry read. */
  #lastSeen: string;
  /** Interrupts applied since the claim, with their entries, in order. */
  readonly #applied: { entry: string; interrupt: Interrupt }[] = [];
  #cursor: string;
  #pausedSaved = createLatch();
  #paused = false;
  readonly released = createLatch();
  releasing = false;
  #listening = false;

  constructor(runId: string, cursor: string) {
    this.runId = runId;
    this.#cursor = cursor;
    this.#lastSeen = cursor;
  }

  /** The lowest stream id to read next: after the last entry seen. */
  get after(): string {
    return this.#lastSeen;
  }

  /** Whether control entries apply as they come (after `listen`). */
  get listening(): boolean {
    return this.#listening;
  }

  /**
   * Starts applying control entries, from the ones read together with the run's flags on a
   * claim: of those, only interrupts apply (the flags already said whether the run is paused
   * or aborted); every entry after them applies as it comes.
   */
  listen(entries: readonly [string, string[]][]): void {
    this.#listening = true;
    this.apply(entries, true);
  }

  /**
   * Applies stream entries newer than the last one seen. Before the run's handle exists,
   * entries wait. `interruptsOnly` skips pause/resume/abort entries.
   */
  apply(entries: readonly [string, string[]][], interruptsOnly = false): void {
    const handle = this.handle;
    if (handle === undefined || this.releasing) return;
    for (const [id, fields] of entries) {
      if (compareIds(id, this.#lastSeen) <= 0) continue;
      this.#lastSeen = id;
      const request = parseControlEntry(fields);
      if (request === undefined) continue;
      if (interruptsOnly && request.type !== 'interrupt') continue;
      this.#send(handle, id, request);
    }
  }

  #send(handle: RunHandle, id: string, request: RunControlRequest): void {
    try {
      switch (request.type) {
        case 'interrupt':
          this.#applied.push({ entry: id, interrupt: handle.interrupt(request.interrupt) });
          break;
        case 'pause':
          handle.pause(request.reason);
          break;
        case 'resume':
          handle.resume();
          break;
        case 'abort':
          handle.abort(request.reason);
          break;
      }
    } catch {
      // The run has ended, or the request is invalid for it: as in-process, nothing to apply.
    }
  }

  /** The hash fields saved with `checkpoint`: the newest control entry it records. */
  fieldsOf(checkpoint: RunCheckpoint): Record<string, string> | undefined {
    const recorded = new Set<string>();
    for (const interrupt of checkpoint.intentUpdates) recorded.add(interrupt.id);
    for (const interrupt of checkpoint.pendingInterrupts) recorded.add(interrupt.id);
    for (let index = this.#applied.length - 1; index >= 0; index--) {
      const applied = this.#applied[index] as { entry: string; interrupt: Interrupt };
      if (recorded.has(applied.interrupt.id)) {
        if (compareIds(applied.entry, this.#cursor) > 0) this.#cursor = applied.entry;
        break;
      }
    }
    return { cursor: this.#cursor };
  }

  /** Called once a checkpoint is saved: notes a saved pause. */
  saved(checkpoint: RunCheckpoint): void {
    if (checkpoint.status === 'paused' && this.#paused) this.#pausedSaved.open();
  }

  /** Tracks the run's pauses (from its events). */
  observe(type: string): void {
    if (type === 'run.pause') this.#paused = true;
    if (type === 'run.resume') {
      this.#paused = false;
      this.#pausedSaved = createLatch();
    }
  }

  /** Resolves once the run is paused and its paused checkpoint is saved. */
  get pausedAndSaved(): Promise<void> {
    return this.#pausedSaved.promise;
  }
}

/** Orders two stream ids (`ms-seq`). */
export function compareIds(left: string, right: string): number {
  const [leftMs = 0, leftSeq = 0] = left.split('-').map(Number);
  const [rightMs = 0, rightSeq = 0] = right.split('-').map(Number);
  return leftMs === rightMs ? leftSeq - rightSeq : leftMs - rightMs;
}
