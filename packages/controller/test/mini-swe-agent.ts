/**
 * A small loader for the recorded mini-swe-agent runs under ../shared/data (read in place).
 * Each assistant message is one turn; a message with exactly one ```bash block is an action
 * whose observation is the next message; any other message (rejected by the harness for its
 * format) is a turn without action.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TurnRecord } from '../src/turn-record.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const dataRoot = path.resolve(repoRoot, '../shared/data');
export const miniSweAgentRoot = path.join(dataRoot, 'swe-trajectories/mini-swe-agent-gemini-3-pro');

/** Returns the path, or throws naming it when the recorded data is missing. */
export function requireData(location: string): string {
  if (!existsSync(location)) {
    throw new Error(
      `Recorded data not found at ${location}. These tests read the shared data set in place: place it at ${dataRoot} (next to the repository).`,
    );
  }
  return location;
}

export interface MiniSweAgentRun {
  readonly id: string;
  readonly file: string;
  readonly model: string;
  readonly resolved: boolean;
  /** Model calls (assistant messages). */
  readonly turns: number;
  readonly apiCalls: number;
  readonly records: TurnRecord[];
}

interface RawMessage {
  readonly role: string;
  readonly content: string;
  readonly extra?: {
    readonly response?: {
      readonly model?: string;
      readonly usage?: { readonly prompt_tokens?: number; readonly completion_tokens?: number };
    };
  };
}

const bashBlock = /```bash\s*\n([\s\S]*?)\n```/g;

/**
 * Loads one trajectory file.
 * @param file - the `.traj.json` file.
 * @param reports - the folder holding its `<instance_id>.report.json` verdict.
 */
export function loadMiniSweAgentRun(
  file: string,
  reports: string = path.join(miniSweAgentRoot, 'reports'),
): MiniSweAgentRun {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as {
    instance_id: string;
    info: { model_stats: { api_calls: number } };
    messages: RawMessage[];
  };
  const id = raw.instance_id;
  const report = path.join(reports, `${id}.report.json`);
  const verdict = JSON.parse(readFileSync(requireData(report), 'utf8')) as { resolved?: boolean };
  const records: TurnRecord[] = [];
  let model = 'unknown';
  raw.messages.forEach((message, index) => {
    if (message.role !== 'assistant') return;
    // The provider reports the model with or without its vendor prefix; keep the bare name.
    model = message.extra?.response?.model?.replace(/^[^/]+\//, '') ?? model;
    const blocks = [...message.content.matchAll(bashBlock)].map((match) => match[1] as string);
    const next = raw.messages[index + 1];
    const usage = message.extra?.response?.usage;
    const turn = records.length + 1;
    const base = {
      turn,
      text: message.content,
      ...(usage === undefined
        ? {}
        : {
            usage: {
              inputTokens: usage.prompt_tokens ?? 0,
              outputTokens: usage.completion_tokens ?? 0,
            },
          }),
    };
    if (blocks.length === 1) {
      records.push({
        ...base,
        actions: [{ name: 'bash', arguments: blocks[0] as string }],
        observations:
          next?.role === 'user' ? [{ name: 'bash', status: 'ok', text: next.content }] : [],
      });
    } else {
      records.push({ ...base, actions: [], observations: [] });
    }
  });
  return {
    id,
    file,
    model,
    resolved: verdict.resolved === true,
    turns: records.length,
    apiCalls: raw.info.model_stats.api_calls,
    records,
  };
}

/** Every run of the data set, sorted by id. */
export function loadMiniSweAgentRuns(): MiniSweAgentRun[] {
  const trajs = requireData(path.join(miniSweAgentRoot, 'trajs'));
  return readdirSync(trajs)
    .filter((name) => name.endsWith('.traj.json'))
    .sort()
    .map((name) => loadMiniSweAgentRun(path.join(trajs, name)));
}
