import cliProgress from 'cli-progress';
import type { CliIo } from './cli-io.js';

/** A progress bar, or nothing when output is not a terminal. */
export interface Progress {
  /** Reports work done; starts the bar on the first call. */
  readonly update: (progress: { readonly done: number; readonly total: number }) => void;
  /** Removes the bar. */
  readonly stop: () => void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Shown before the bar, e.g. `'import'`. */
  readonly label: string;
  /** `false` turns the bar off (`--json`). @defaultValue true */
  readonly enabled?: boolean;
}

/**
 * A progress bar on stderr, drawn only when stderr is a terminal and `enabled` is not `false`;
 * otherwise every call does nothing, so piped output and `--json` stay clean.
 * @example
 * ```ts
 * const progress = createProgress(io, { label: 'import', enabled: !options.json });
 * await importTrajectoryDirectory(dir, { onProgress: progress.update });
 * progress.stop();
 * ```
 */
export function createProgress(io: CliIo, options: ProgressOptions): Progress {
  if (options.enabled === false || io.stderr.isTTY !== true) {
    return { update: () => {}, stop: () => {} };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${options.label.padEnd(10)} {bar} {value}/{total} {percentage}% {duration_formatted}`,
      stream: io.stderr,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: ({ done, total }) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}
