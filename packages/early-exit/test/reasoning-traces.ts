/**
 * Builders of reasoning traces with log-probabilities for the loopback server: each token is
 * given the log-probability and top alternatives that make a rule fire (or not) where a test
 * expects.
 */
import type { TokenLogprob } from '@reins/core';
import type { ScriptedToken } from '@reins/openai/testing';

/** A confident token: p = 0.95, one unlikely alternative (entropy ≈ 0.2 nats). */
export function sureToken(text: string): TokenLogprob {
  return {
    token: text,
    logprob: Math.log(0.95),
    topLogprobs: [
      { token: text, logprob: Math.log(0.95) },
      { token: ' and', logprob: Math.log(0.05) },
    ],
  };
}

/** A hesitant token: p = 0.4 with two close alternatives (entropy ≈ 1.09 nats). */
export function hesitantToken(text: string): TokenLogprob {
  return {
    token: text,
    logprob: Math.log(0.4),
    topLogprobs: [
      { token: text, logprob: Math.log(0.4) },
      { token: ' So', logprob: Math.log(0.3) },
      { token: ' Then', logprob: Math.log(0.3) },
    ],
  };
}

/** A token the model is unsure of: p = 0.2, many alternatives. */
export function unsureToken(text: string): TokenLogprob {
  return {
    token: text,
    logprob: Math.log(0.2),
    topLogprobs: [
      { token: text, logprob: Math.log(0.2) },
      { token: ' 5', logprob: Math.log(0.2) },
      { token: ' 6', logprob: Math.log(0.2) },
      { token: ' 7', logprob: Math.log(0.2) },
    ],
  };
}

/** `count` filler tokens (" step 0", " step 1"…), made by `make`. */
export function filler(count: number, make: (text: string) => TokenLogprob): TokenLogprob[] {
  return Array.from({ length: count }, (_, index) => make(` w${index % 10}`));
}

/** A content stream of a model without a reasoning parser: `<think>` trace `</think>` answer. */
export function thinkStream(trace: readonly TokenLogprob[], answer: string): ScriptedToken[] {
  return [sureToken('<think>'), ...trace, sureToken('</think>'), sureToken(answer)].map(
    ({ token, logprob, topLogprobs }) =>
      topLogprobs === undefined ? { token, logprob } : { token, logprob, topLogprobs },
  );
}

/** The text of the last user message of a recorded request body. */
export function lastUserText(body: Record<string, unknown> | undefined): string {
  const messages = (body?.messages ?? []) as { role: string; content: string }[];
  return [...messages].reverse().find((message) => message.role === 'user')?.content ?? '';
}

/** Whether a request body is a forced or trial answer request. */
export function isAnswerRequest(body: Record<string, unknown> | undefined): boolean {
  return lastUserText(body).includes('Reasoning time is over');
}
