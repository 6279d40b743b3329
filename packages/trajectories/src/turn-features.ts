import type { Message, ToolCall, Usage } from '@reins/core';

/**
 * The per-turn features of the predicted-failure scorer, in vector order. Each is computed from
 * what the run has shown up to the end of a turn (its observations included):
 *
 * - `logTurn`: log of the turn number;
 * - `logCostSoFar`: log(1 + cents spent so far);
 * - `logPromptTokens`, `promptGrowth`: the call's prompt size, and its growth over the previous
 *   call (thousands of tokens);
 * - `logOutputTokens`, `logTextLength`: the call's output size;
 * - `repeatedAction`: the action was made before in this run; `repeatFraction`: share of actions
 *   so far that repeated an earlier one; `nearDuplicate`: highest similarity of the action to one
 *   of the previous five;
 * - `similarityToPrevious`: similarity of the turn's text to the previous turn's text (character
 *   bigrams, Dice coefficient);
 * - `errorReturn`: the turn's command failed (non-zero exit code); `errorStreak`: consecutive
 *   failing turns; `errorRate`: share of failing turns so far;
 * - `noAction`: the turn had no action (a format error, a reply); `noActionRate`;
 * - `editsSoFar`: log(1 + file edits made); `turnsSinceEdit`: log(1 + turns since the last edit);
 *   `editedUnverified`: an edit was made and no test or script ran successfully after it;
 *   `verifiedAfterEdit`: a test or script ran successfully after the last edit.
 */
export const turnFeatureNames = [
  'logTurn',
  'logCostSoFar',
  'logPromptTokens',
  'promptGrowth',
  'logOutputTokens',
  'logTextLength',
  'repeatedAction',
  'repeatFraction',
  'nearDuplicate',
  'similarityToPrevious',
  'errorReturn',
  'errorStreak',
  'errorRate',
  'noAction',
  'noActionRate',
  'editsSoFar',
  'turnsSinceEdit',
  'editedUnverified',
  'verifiedAfterEdit',
] as const;

/** One feature's name; see {@link turnFeatureNames}. */
export type TurnFeatureName = (typeof turnFeatureNames)[number];

/** One turn as the feature extractor reads it. */
export interface FeatureTurn {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  /** What each call returned, as text, in call order. */
  readonly outputs: readonly string[];
  readonly usage?: Usage;
}

/** Computes turn features one turn at a time, keeping only a bounded window of the past. */
export interface TurnFeatureExtractor {
  /** Adds the next turn and returns its feature vector (in {@link turnFeatureNames} order). */
  add(turn: FeatureTurn): number[];
  /** Turns added so far. */
  readonly turns: number;
}

const editPattern =
  /(\bsed\s+-i|\bperl\s+-[a-z]*i|cat\s*<<-?\s*['"]?\w+['"]?\s*>|>\s*[\w./-]+\.(py|java|js|ts|rs|go|c|cc|cpp|h|rb|txt|cfg|toml|ini|json|yml|yaml)\b|\btee\s|\bapply_patch\b|\bgit\s+apply\b|^\s*(edit|create|insert|str_replace)\b|\bstr_replace_editor\s+(create|str_replace|insert)|open\([^)]*['"]w['"])/m;
const verifyPattern =
  /\b(pytest|py\.test|unittest|runtests|tox|nosetests|mvn\s+(-q\s+)?test|gradle\w*\s+test|npm\s+test|cargo\s+test|go\s+test|python3?\s+(-m\s+)?[\w./-]*(test|repro|reproduce|verify|check)\w*)/i;
const returnCodePattern = /^\s*<returncode>(-?\d+)<\/returncode>/;

/**
 * Creates a feature extractor for one run. Feed it every turn in order; it keeps a window of the
 * last five actions and running counts, so each turn costs the same whatever the run's length.
 * @example
 * ```ts
 * const extractor = createTurnFeatureExtractor();
 * const features = trajectoryTurns.map((turn) => extractor.add(turn));
 * ```
 */
export function createTurnFeatureExtractor(): TurnFeatureExtractor {
  let turns = 0;
  let costSoFar = 0;
  let previousPrompt: number | undefined;
  let previousText = '';
  const seenActions = new Set<string>();
  const recentActions: string[] = [];
  let actions = 0;
  let repeats = 0;
  let errorStreak = 0;
  let errorTurns = 0;
  let noActionTurns = 0;
  let edits = 0;
  let lastEditTurn = 0;
  let verifiedAfterEdit = false;
  return {
    get turns() {
      return turns;
    },
    add(turn) {
      turns += 1;
      const usage = turn.usage;
      costSoFar += usage?.costUsd ?? 0;
      const prompt = usage?.inputTokens ?? 0;
      const growth = previousPrompt === undefined ? 0 : (prompt - previousPrompt) / 1000;
      previousPrompt = prompt;
      const commands = turn.toolCalls.map(actionText);
      let repeated = 0;
      let nearDuplicate = 0;
      for (const command of commands) {
        actions += 1;
        if (seenActions.has(command)) {
          repeated = 1;
          repeats += 1;
        }
        for (const recent of recentActions)
          nearDuplicate = Math.max(nearDuplicate, diceSimilarity(command, recent));
      }
      for (const command of commands) {
        seenActions.add(command);
        recentActions.push(command);
        if (recentActions.length > 5) recentActions.shift();
      }
      let failed = false;
      turn.outputs.forEach((output) => {
        const match = returnCodePattern.exec(output);
        if (match !== null && Number(match[1]) !== 0) failed = true;
        else if (/^(error|traceback)\b/i.test(output.trimStart().slice(0, 20))) failed = true;
      });
      errorStreak = failed ? errorStreak + 1 : 0;
      if (failed) errorTurns += 1;
      const noAction =
        commands.length === 0 || turn.toolCalls.every((call) => call.name === 'environment');
      if (noAction) noActionTurns += 1;
      const edited = commands.some((command) => editPattern.test(command));
      if (edited) {
        edits += 1;
        lastEditTurn = turns;
        verifiedAfterEdit = false;
      } else if (edits > 0 && !failed && commands.some((command) => verifyPattern.test(command))) {
        verifiedAfterEdit = true;
      }
      const similarity = diceSimilarity(turn.text, previousText);
      previousText = turn.text;
      return [
        Math.log(turns),
        Math.log1p(costSoFar * 100),
        Math.log1p(prompt),
        growth,
        Math.log1p(usage?.outputTokens ?? 0),
        Math.log1p(turn.text.length),
        repeated,
        actions > 0 ? repeats / actions : 0,
        nearDuplicate,
        similarity,
        failed ? 1 : 0,
        Math.min(errorStreak, 10),
        errorTurns / turns,
        noAction ? 1 : 0,
        noActionTurns / turns,
        Math.log1p(edits),
        Math.log1p(edits > 0 ? turns - lastEditTurn : turns),
        edits > 0 && !verifiedAfterEdit ? 1 : 0,
        verifiedAfterEdit ? 1 : 0,
      ];
    },
  };
}

/** The text of an action: a shell command, or the call's name and arguments. */
function actionText(call: ToolCall): string {
  try {
    const parsed = JSON.parse(call.arguments) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const command = (parsed as Record<string, unknown>).command;
      if (typeof command === 'string') return command;
    }
  } catch {
    // not JSON: use the raw text
  }
  return `${call.name} ${call.arguments}`;
}

/**
 * Similarity of two texts: the Dice coefficient of their character bigrams (1 for equal texts,
 * 0 for nothing in common). Long texts are compared on their first 2,000 characters.
 * @example
 * ```ts
 * diceSimilarity('git diff', 'git diff --cached'); // ≈ 0.64
 * ```
 */
export function diceSimilarity(a: string, b: string): number {
  if (a === b) return a === '' ? 0 : 1;
  const left = a.slice(0, 2000);
  const right = b.slice(0, 2000);
  if (left.length < 2 || right.length < 2) return 0;
  const counts = new Map<number, number>();
  for (let index = 0; index < left.length - 1; index += 1) {
    const bigram = left.charCodeAt(index) * 65536 + left.charCodeAt(index + 1);
    counts.set(bigram, (counts.get(bigram) ?? 0) + 1);
  }
  let shared = 0;
  for (let index = 0; index < right.length - 1; index += 1) {
    const bigram = right.charCodeAt(index) * 65536 + right.charCodeAt(index + 1);
    const count = counts.get(bigram) ?? 0;
    if (count > 0) {
      shared += 1;
      counts.set(bigram, count - 1);
    }
  }
  return (2 * shared) / (left.length - 1 + right.length - 1);
}

/**
 * Reads the turns of a run's history (assistant messages and the tool results after them) from
 * `from` on, for feeding a {@link TurnFeatureExtractor} from a live `RunView`.
 * @param messages - the run's messages.
 * @param from - the index of the first message not read yet.
 * @returns the complete turns found and the index to continue from.
 * @example
 * ```ts
 * const { turns, next } = readFeatureTurns(view.messages, cursor);
 * ```
 */
export function readFeatureTurns(
  messages: readonly Message[],
  from: number,
): { turns: FeatureTurn[]; next: number } {
  const turns: FeatureTurn[] = [];
  let index = from;
  while (index < messages.length) {
    const message = messages[index] as Message;
    if (message.role !== 'assistant') {
      index += 1;
      continue;
    }
    const outputs: string[] = [];
    let cursor = index + 1;
    while (cursor < messages.length && (messages[cursor] as Message).role === 'tool') {
      const tool = messages[cursor] as Extract<Message, { role: 'tool' }>;
      outputs.push(
        tool.result.status === 'ok'
          ? tool.result.output
          : tool.result.status === 'error'
            ? `Error: ${tool.result.error.message}`
            : `Cancelled: ${tool.result.reason}`,
      );
      cursor += 1;
    }
    if (outputs.length < message.toolCalls.length) break;
    turns.push({
      text: message.content,
      toolCalls: message.toolCalls,
      outputs,
      ...(message.usage === undefined ? {} : { usage: message.usage }),
    });
    index = cursor;
  }
  return { turns, next: index };
}
