import { InvalidOptionsError } from '@reins/core';
import type { ExitDecision, ExitRule, TrialAnswer } from './exit-rule.js';
import { normaliseAnswer } from './extract-answer.js';
import { createLexicalEmbedding } from './lexical-embedding.js';
import { createStepSegmenter, type StepSegmenterOptions } from './step-segmenter.js';
import { cosineSimilarity, type TextEmbedding } from './text-embedding.js';

/** A step that repeats the previous one, while no trial answer runs. */
interface Candidate {
  /** Cosine similarity of its embedding to the previous step's. */
  readonly similarity: number;
}

/** Options of {@link createConvergenceExit}. */
export interface ConvergenceExitOptions {
  /** How steps are embedded. @defaultValue `createLexicalEmbedding()` */
  readonly embedding?: TextEmbedding;
  /** A step at least this similar to the previous one is a candidate exit. @defaultValue 0.85 */
  readonly similarityThreshold?: number;
  /** No candidate before this many steps. @defaultValue 10 */
  readonly minSteps?: number;
  /** Both trial answers need at least this confidence (exp mean log-prob). @defaultValue 0.98 */
  readonly minConfidence?: number;
  /** The second trial's confidence may be at most this much below the first's. @defaultValue 0.03 */
  readonly confidenceTolerance?: number;
  /** Token cap of each trial answer. @defaultValue 30 */
  readonly trialAnswerTokens?: number;
  /** How reasoning is split into steps. */
  readonly steps?: StepSegmenterOptions;
}

/** Defaults of {@link ConvergenceExitOptions}. */
export const defaultConvergenceExitOptions = Object.freeze({
  similarityThreshold: 0.85,
  minSteps: 10,
  minConfidence: 0.98,
  confidenceTolerance: 0.03,
  trialAnswerTokens: 30,
});

/**
 * Creates the convergence exit (PUMA): reasoning is split into steps; a step nearly identical
 * in meaning to the previous one (cosine similarity of their embeddings ≥
 * `similarityThreshold`) marks a candidate exit; at each candidate a trial answer is asked for
 * (`trialAnswerTokens`, confidence = exp(mean log-prob)); reasoning stops when two consecutive
 * candidates give the same answer, the first with confidence ≥ `minConfidence` and the second
 * within `confidenceTolerance` of it, not before step `minSteps`. Embeddings and trial answers
 * run while the stream goes on; one trial at a time (candidates during a trial are skipped).
 *
 * @param options - embedding, thresholds, step segmentation.
 * @returns the exit rule.
 * @example
 * ```ts
 * const exit = createConvergenceExit({ embedding: fromLangChainEmbeddings(new OpenAIEmbeddings()) });
 * const result = await runReasoning({ backend, messages, exit });
 * ```
 */
export function createConvergenceExit(options: ConvergenceExitOptions = {}): ExitRule {
  const settings = { ...defaultConvergenceExitOptions, ...options };
  const embedding = options.embedding ?? createLexicalEmbedding();
  if (!(settings.similarityThreshold > -1 && settings.similarityThreshold <= 1))
    throw new InvalidOptionsError(
      'similarityThreshold',
      `similarityThreshold must be a cosine similarity in (−1, 1]; received ${settings.similarityThreshold}. Try 0.85.`,
    );
  return {
    name: 'convergence',
    start(context) {
      const segmenter = createStepSegmenter(settings.steps);
      let previousVector: readonly number[] | undefined;
      let lastCandidate: TrialAnswer | undefined;
      let trialInFlight = false;
      // Steps are embedded one after another, in order; a trial answer runs beside that chain.
      let chain: Promise<Candidate | undefined> = Promise.resolve(undefined);

      /** Embeds a step; a candidate when it repeats the previous one and no trial is running. */
      const embedStep = async (step: string, stepIndex: number): Promise<Candidate | undefined> => {
        const [vector] = await embedding.embed([step]);
        if (vector === undefined || context.signal.aborted) return undefined;
        const similarity =
          previousVector === undefined ? Number.NaN : cosineSimilarity(previousVector, vector);
        previousVector = vector;
        if (!(similarity >= settings.similarityThreshold) || stepIndex < settings.minSteps)
          return undefined;
        if (trialInFlight) return undefined;
        trialInFlight = true;
        return { similarity };
      };

      /** Asks a candidate's trial answer and decides whether it agrees with the last one. */
      const judge = async (
        { similarity }: Candidate,
        stepIndex: number,
        tokenIndex: number,
      ): Promise<ExitDecision | undefined> => {
        let trial: TrialAnswer;
        try {
          trial = await context.trialAnswer({ maxTokens: settings.trialAnswerTokens });
        } finally {
          trialInFlight = false;
        }
        if (context.signal.aborted) return undefined;
        context.emit({
          type: 'exit.candidate',
          callId: context.callId,
          at: context.now(),
          rule: 'convergence',
          tokenIndex,
          trialAnswer: trial.answer,
          confidence: trial.confidence,
        });
        const first = lastCandidate;
        lastCandidate = trial;
        if (
          first === undefined ||
          normaliseAnswer(first.answer) !== normaliseAnswer(trial.answer) ||
          normaliseAnswer(trial.answer) === '' ||
          !(first.confidence >= settings.minConfidence) ||
          !(trial.confidence >= first.confidence - settings.confidenceTolerance)
        )
          return undefined;
        return {
          rule: 'convergence',
          message: `Steps converged (similarity ${similarity.toFixed(3)}) and two consecutive trial answers agree on '${trial.answer}' with confidence ${first.confidence.toFixed(3)} then ${trial.confidence.toFixed(3)}.`,
          evidence: {
            step: stepIndex,
            similarity,
            answer: trial.answer,
            firstConfidence: first.confidence,
            secondConfidence: trial.confidence,
          },
        };
      };

      return {
        push(token, index) {
          const step = segmenter.push(token.token);
          if (step === undefined) return undefined;
          const stepIndex = segmenter.count;
          chain = chain.then(
            () => embedStep(step, stepIndex),
            () => undefined,
          );
          return chain.then((candidate) =>
            candidate === undefined ? undefined : judge(candidate, stepIndex, index),
          );
        },
      };
    },
  };
}
