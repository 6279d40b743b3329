import type { Message, ToolCall, Usage } from '@reins/core';
import { classifyAction } from './action-class.js';

/**
 * The per-turn features of the predicted-failure scorer, in vector order: one definition for
 * training (offline, on recorded runs) and for run time (the policy controller reads the same
 * extractor from the live messages). Each is computed from what the run has shown up to the end
 * of a turn (its observations included). Edits and test runs are told apart by
 * `classifyAction`, the classifier of the overthinking monitor.
 *
 * Run shape: `logTurn` (log of the turn number), `logCostSoFar` (log(1 + cents spent)),
 * `logPromptTokens`, `promptGrowth` (thousands of tokens over the previous call),
 * `logOutputTokens`, `logTextLength`, `costSlope` (this call's cost, or prompt tokens when no cost
 * is recorded, over the run's mean so far).
 *
 * Repetition: `repeatedAction` (made before in this run), `repeatFraction`, `nearDuplicate`
 * (highest similarity to one of the last five actions), `similarityToPrevious` (of the turn's
 * text), `repeatedFailingCommand` (log(1 + times this failing command failed before)).
 *
 * Errors: `errorReturn` (the command failed), `errorStreak`, `errorRate`, `errorText` (the output
 * reads as an error in its first 20,000 characters: a traceback, an exception, "command not
 * found", "No such file").
 *
 * Progress: `noAction`, `noActionRate`, `editsSoFar` (log(1 + edits)), `turnsSinceEdit`,
 * `editedUnverified`, `verifiedAfterEdit`, `editChurn` (log(1 + most edits of one file)),
 * `turnsSinceNewFile` (log(1 + turns since a file was first named)), `testRuns`
 * (log(1 + test runs)), `testFailRate` (share of test runs that failed), `lastTestPassed`.
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
  'costSlope',
  'repeatedFailingCommand',
  'errorText',
  'editChurn',
  'turnsSinceNewFile',
  'testRuns',
  'testFailRate',
  'lastTestPassed',
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

/** Computes turn features one turn at a time. */
export interface TurnFeatureExtractor {
  /** Adds the next turn and returns its feature vector (in {@link turnFeatureNames} order). */
  add(turn: FeatureTurn): number[];
  /** Turns added so far. */
  readonly turns: number;
}

const returnCodePattern = /^\s*<returncode>(-?\d+)<\/returncode>/;
const errorTextPattern =
  /Traceback \(most recent call last\)|\b\w*(Error|Exception):|command not found|No such file or directory|\bFAILED\b|\bfatal:|\bpanic:|compilation failed|BUILD FAILURE/;
const filePattern =
  /[\w./-]+\.(py|java|js|jsx|ts|tsx|rs|go|c|cc|cpp|h|hpp|rb|php|cs|kt|scala|json|ya?ml|toml|cfg|ini|md|txt|html|css|sh)\b/g;

/**
 * Creates a feature extractor for one run. Feed it every turn in order; it keeps a window of the
 * last five actions and running counts.
 * @example
 * ```ts
 * const extractor = createTurnFeatureExtractor();
 * const vector = extractor.add({ text: 'Run the tests.', toolCalls: [], outputs: [] });
 * ```
 */
export function createTurnFeatureExtractor(): TurnFeatureExtractor {
  let turns = 0;
  let costSoFar = 0;
  let scaleSoFar = 0;
  let previousPrompt: number | undefined;
  let previousText = '';
  const seenActions = new Set<string>();
  const failedActions = new Map<string, number>();
  const recentActions: string[] = [];
  const editsPerFile = new Map<string, number>();
  const filesSeen = new Set<string>();
  let lastNewFileTurn = 0;
  let actions = 0;
  let repeats = 0;
  let errorStreak = 0;
  let errorTurns = 0;
  let noActionTurns = 0;
  let edits = 0;
  let lastEditTurn = 0;
  let verifiedAfterEdit = false;
  let testRuns = 0;
  let testFailures = 0;
  let lastTestPassed = 0;
  return {
    get turns() {
      return turns;
    },
    add(turn) {
      turns += 1;
      const usage = turn.usage;
      const cost = usage?.costUsd ?? 0;
      costSoFar += cost;
      const prompt = usage?.inputTokens ?? 0;
      // The cost slope reads cost when the run records it, else prompt tokens.
      const scale = cost > 0 ? cost * 1e6 : prompt;
      scaleSoFar += scale;
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
      let errorText = 0;
      turn.outputs.forEach((output) => {
        const match = returnCodePattern.exec(output);
        if (match !== null && Number(match[1]) !== 0) failed = true;
        else if (/^(error|traceback)\b/i.test(output.trimStart().slice(0, 20))) failed = true;
        if (errorTextPattern.test(output.slice(0, 20_000))) errorText = 1;
      });
      let repeatedFailures = 0;
      if (failed) {
        for (const command of commands) {
          const before = failedActions.get(command) ?? 0;
          repeatedFailures = Math.max(repeatedFailures, before);
          failedActions.set(command, before + 1);
        }
      }
      errorStreak = failed ? errorStreak + 1 : 0;
      if (failed) errorTurns += 1;
      const noAction =
        commands.length === 0 || turn.toolCalls.every((call) => call.name === 'environment');
      if (noAction) noActionTurns += 1;
      const classes = turn.toolCalls.map((call) =>
        classifyAction({ name: call.name, arguments: call.arguments }),
      );
      const edited = classes.includes('edit');
      const tested = classes.includes('verification');
      for (const command of commands) {
        for (const file of command.match(filePattern) ?? []) {
          if (!filesSeen.has(file)) {
            filesSeen.add(file);
            lastNewFileTurn = turns;
          }
          if (edited) editsPerFile.set(file, (editsPerFile.get(file) ?? 0) + 1);
        }
      }
      if (edited) {
        edits += 1;
        lastEditTurn = turns;
        verifiedAfterEdit = false;
      } else if (tested) {
        testRuns += 1;
        if (failed) testFailures += 1;
        lastTestPassed = failed ? 0 : 1;
        if (edits > 0 && !failed) verifiedAfterEdit = true;
      }
      let churn = 0;
      for (const count of editsPerFile.values()) churn = Math.max(churn, count);
      const similarity = diceSimilarity(turn.text, previousText);
      previousText = turn.text;
      const meanScale = scaleSoFar / turns;
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
        meanScale > 0 ? Math.min(10, scale / meanScale) : 0,
        Math.log1p(repeatedFailures),
        errorText,
        Math.log1p(churn),
        Math.log1p(turns - lastNewFileTurn),
        Math.log1p(testRuns),
        testRuns > 0 ? testFailures / testRuns : 0,
        lastTestPassed,
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
 * diceSimilarity('git diff', 'git diff --cached'); // 14 / 23 ≈ 0.61
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
