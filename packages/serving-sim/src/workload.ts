/** One model call of a program and the tool pause that follows it. */
export interface WorkloadTurn {
  /** Prompt tokens of the call (the whole history so far). */
  readonly promptTokens: number;
  /** Tokens generated. */
  readonly outputTokens: number;
  /** Pause after the response before the next call (tool time), in milliseconds; 0 for the last. */
  readonly pauseMs: number;
  /** The key of the tool run after this call (`bash:pytest`), when known. */
  readonly toolKey?: string;
}

/** An agent program: a sequence of turns, arriving at a given time. */
export interface Program {
  readonly id: string;
  /** Arrival of the first request, in milliseconds of simulated time. */
  readonly arrivalMs: number;
  readonly turns: readonly WorkloadTurn[];
}

/** A program's shape without its arrival: what recorded runs give. */
export interface ProgramTemplate {
  readonly id: string;
  readonly turns: readonly WorkloadTurn[];
}
