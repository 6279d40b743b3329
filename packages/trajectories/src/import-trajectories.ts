import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { ReinsError } from '@reins/core';
import { UnknownTrajectoryFormatError } from './errors/unknown-trajectory-format-error.js';
import { fromMiniSweAgent } from './from-mini-swe-agent.js';
import { fromOpenAIMessages } from './from-openai-messages.js';
import { fromSweAgent } from './from-swe-agent.js';
import { fromTauBench } from './from-tau-bench.js';
import { describeJsonValue, parseJsonText } from './json-reader.js';
import { parseRunRecords } from './run-record.js';
import type { Trajectory, TrajectorySourceFormat } from './trajectory.js';

/**
 * Tells the format of a parsed file by its shape.
 * @param raw - the parsed JSON (for JSONL, the first line).
 * @returns the format, or `undefined` when it is none Reins imports.
 * @example
 * ```ts
 * detectTrajectoryFormat({ info: {}, messages: [] }); // 'mini-swe-agent'
 * ```
 */
export function detectTrajectoryFormat(raw: unknown): TrajectorySourceFormat | undefined {
  if (Array.isArray(raw)) {
    const first = raw[0];
    if (typeof first !== 'object' || first === null) return undefined;
    if ('traj' in first && 'reward' in first) return 'tau-bench';
    if ('role' in first) return 'openai-messages';
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const object = raw as Record<string, unknown>;
  if (object.format === 'reins.trajectory') return 'reins';
  if (Array.isArray(object.trajectory) && typeof object.info === 'object') return 'swe-agent';
  if (Array.isArray(object.messages) && typeof object.info === 'object') return 'mini-swe-agent';
  if (
    typeof object.trajectory_format === 'string' &&
    object.trajectory_format.startsWith('mini-swe-agent')
  )
    return 'mini-swe-agent';
  if (Array.isArray(object.messages)) return 'openai-messages';
  return undefined;
}

/** Options of {@link importTrajectoryFile}. */
export interface ImportTrajectoryFileOptions {
  /** Skip detection and read the file as this format. */
  readonly format?: TrajectorySourceFormat;
  /** The model, for formats that do not record it (tau-bench, OpenAI logs). */
  readonly modelId?: string;
}

/**
 * Imports one file of recorded runs, detecting its format, with the verdicts that sit beside
 * it: a mini-swe-agent run's `reports/<id>.report.json` (or `<id>.report.json` next to it), a
 * SWE-agent 0.x run's `logs/<id>/run_instance.log` and its model from the run folder's name.
 *
 * @param file - the file.
 * @param options - a format to force, a model id.
 * @returns the runs it holds (several for tau-bench and JSONL run records).
 * @throws {TrajectoryFormatError} for a malformed or truncated file, naming the path inside it.
 * @throws {UnknownTrajectoryFormatError} when the format cannot be told.
 * @example
 * ```ts
 * const [run] = await importTrajectoryFile('trajs/django__django-11099.traj.json');
 * ```
 */
export async function importTrajectoryFile(
  file: string,
  options: ImportTrajectoryFileOptions = {},
): Promise<Trajectory[]> {
  const text = await readFile(file, 'utf8');
  if (file.endsWith('.jsonl')) {
    const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
    const first = parseJsonText(firstLine, `${file}:1`);
    const format = options.format ?? detectTrajectoryFormat(first);
    if (format === 'reins') return parseRunRecords(text, file);
    if (format === 'openai-messages') {
      const messages = text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line, index) => parseJsonText(line, `${file}:${index + 1}`));
      return [fromOpenAIMessages(messages, { file, ...modelOption(options) })];
    }
    throw new UnknownTrajectoryFormatError(
      file,
      `a first line holding ${describeJsonValue(first)}`,
    );
  }
  const raw = parseJsonText(text, file);
  const format = options.format ?? detectTrajectoryFormat(raw);
  switch (format) {
    case 'reins':
      return parseRunRecords(text, file);
    case 'mini-swe-agent': {
      const report = await findMiniSweAgentReport(file, raw);
      return [
        fromMiniSweAgent(raw, {
          file,
          ...(report === undefined ? {} : { report: report.raw, reportFile: report.file }),
        }),
      ];
    }
    case 'swe-agent': {
      const id = basename(file).replace(/\.traj(\.json)?$/, '');
      const runDir = basename(dirname(file)) === 'trajs' ? dirname(dirname(file)) : dirname(file);
      const harnessLog = await readIfExists(join(runDir, 'logs', id, 'run_instance.log'));
      const modelId = options.modelId ?? modelFromRunFolder(basename(runDir));
      return [
        fromSweAgent(raw, {
          file,
          id,
          ...(harnessLog === undefined ? {} : { harnessLog }),
          ...(modelId === undefined ? {} : { modelId }),
        }),
      ];
    }
    case 'tau-bench':
      return fromTauBench(raw, { file, ...modelOption(options) });
    case 'openai-messages': {
      const object = Array.isArray(raw) ? undefined : (raw as Record<string, unknown>);
      return [
        fromOpenAIMessages(object === undefined ? raw : object.messages, {
          file,
          ...(object === undefined ? {} : { path: 'messages' }),
          ...(typeof object?.id === 'string' ? { id: object.id } : {}),
          ...(typeof object?.resolved === 'boolean'
            ? { outcome: { resolved: object.resolved } }
            : {}),
          ...modelOption({
            ...options,
            ...(typeof object?.model === 'string' ? { modelId: object.model } : {}),
          }),
        }),
      ];
    }
    default:
      throw new UnknownTrajectoryFormatError(file, describeJsonValue(raw));
  }
}

function modelOption(options: { modelId?: string }): { modelId?: string } {
  return options.modelId === undefined ? {} : { modelId: options.modelId };
}

/** SWE-agent 0.x run folders are named `<date>_SWE-agent_<model>`. */
function modelFromRunFolder(folder: string): string | undefined {
  const match = /^\d+_SWE-agent_(.+)$/i.exec(folder);
  return match?.[1];
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function findMiniSweAgentReport(
  file: string,
  raw: unknown,
): Promise<{ raw: unknown; file: string } | undefined> {
  const instanceId =
    typeof raw === 'object' &&
    raw !== null &&
    typeof (raw as { instance_id?: unknown }).instance_id === 'string'
      ? (raw as { instance_id: string }).instance_id
      : basename(file).replace(/\.traj\.json$/, '');
  const folder = dirname(file);
  for (const candidate of [
    join(dirname(folder), 'reports', `${instanceId}.report.json`),
    join(folder, `${instanceId}.report.json`),
  ]) {
    const text = await readIfExists(candidate);
    if (text !== undefined) return { raw: parseJsonText(text, candidate), file: candidate };
  }
  return undefined;
}

/** A file of a directory import that could not be imported. */
export interface ImportProblem {
  /** The file, relative to the imported directory. */
  readonly file: string;
  /** The error's code, e.g. `'trajectory-format'`. */
  readonly code: string;
  /** The error's message: file, path inside it, what was expected and found. */
  readonly message: string;
  /** The path inside the file, for format errors. */
  readonly path?: string;
}

/** What {@link importTrajectoryDirectory} returns: plain data, ready for `--json`. */
export interface ImportResult {
  /** Every run imported, sorted by file then position. */
  readonly trajectories: Trajectory[];
  /** Every file that failed, with why. */
  readonly problems: ImportProblem[];
  /** Candidate files found. */
  readonly files: number;
}

/** Options of {@link importTrajectoryDirectory}. */
export interface ImportTrajectoryDirectoryOptions extends ImportTrajectoryFileOptions {
  /** Called after each file with the count done and the total. */
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void;
  /** Stops the import (rejects with the signal's reason). */
  readonly signal?: AbortSignal;
  /**
   * Files read at once.
   * @defaultValue 8
   */
  readonly concurrency?: number;
}

/** Whether a file is one a directory import reads. Harness reports are companions, not runs. */
function isCandidate(name: string): boolean {
  if (name.endsWith('.report.json')) return false;
  return name.endsWith('.traj') || name.endsWith('.json') || name.endsWith('.jsonl');
}

async function listCandidates(directory: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string) => {
    const entries = await readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'logs' && entry.name !== 'reports' && entry.name !== 'node_modules')
          await walk(path);
      } else if (entry.isFile() && isCandidate(entry.name)) found.push(path);
    }
  };
  await walk(directory);
  return found;
}

/**
 * Imports every run under a directory (recursively): each file's format is detected, bad files
 * are reported (every one of them, with the path inside the file and what was expected) and the
 * rest are imported.
 *
 * @param directory - the folder, or a single file.
 * @param options - progress callback, signal, concurrency, a format to force.
 * @returns the runs, the problems and the number of candidate files.
 * @example
 * ```ts
 * const { trajectories, problems } = await importTrajectoryDirectory('../shared/data/swe-trajectories');
 * for (const problem of problems) console.error(problem.message);
 * ```
 */
export async function importTrajectoryDirectory(
  directory: string,
  options: ImportTrajectoryDirectoryOptions = {},
): Promise<ImportResult> {
  const info = await stat(directory);
  const files = info.isDirectory() ? await listCandidates(directory) : [directory];
  const root = info.isDirectory() ? directory : dirname(directory);
  const results: (Trajectory[] | ImportProblem)[] = new Array(files.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length) {
      options.signal?.throwIfAborted();
      const position = next++;
      const file = files[position] as string;
      try {
        results[position] = await importTrajectoryFile(file, options);
      } catch (error) {
        if (!ReinsError.isInstance(error)) {
          const code = (error as NodeJS.ErrnoException).code ?? 'read-failed';
          results[position] = {
            file: relative(root, file),
            code,
            message: `Cannot read ${file}: ${(error as Error).message}`,
          };
        } else {
          const path = (error as { path?: unknown }).path;
          results[position] = {
            file: relative(root, file),
            code: error.code,
            message: error.message,
            ...(typeof path === 'string' ? { path } : {}),
          };
        }
      }
      done += 1;
      options.onProgress?.({ done, total: files.length });
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 8, files.length));
  await Promise.all(Array.from({ length: workers }, worker));
  const trajectories: Trajectory[] = [];
  const problems: ImportProblem[] = [];
  for (const result of results) {
    if (Array.isArray(result)) trajectories.push(...result);
    else if (result !== undefined) problems.push(result);
  }
  return { trajectories, problems, files: files.length };
}
