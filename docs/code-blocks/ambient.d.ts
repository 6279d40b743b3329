/**
 * Names the guides' code blocks use without defining them: a block is a snippet from a program
 * that already has a backend, tools, past runs or a LangChain model. A block that defines the
 * same name shadows these. Every Reins export is declared too (see write-ambient-exports.ts).
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Runnable } from '@langchain/core/runnables';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type {
  createToolDurationPredictor,
  HistoryRun,
  ModelPriceTable,
  Summariser,
} from '@reins/controller';
import type { Agent, Controller, Message, ModelBackend, RunHandle, Tool } from '@reins/core';

declare global {
  const backend: ModelBackend;
  const reasoner: ModelBackend;
  const planner: ModelBackend;
  const myBackend: (baseURL: string) => ModelBackend;
  const tools: Tool[];
  const task: string;
  const runId: string;
  const agent: Agent;
  const handle: RunHandle;
  const controller: Controller;
  const messages: Message[];
  const pastRuns: HistoryRun[];
  const prices: ModelPriceTable;
  const mySummariser: Summariser;
  const recordedDurations: Parameters<ReturnType<typeof createToolDurationPredictor>['seed']>[0];
  const model: BaseChatModel;
  const langChainTools: StructuredToolInterface[];
  const graph: Runnable;
  const input: Record<string, unknown>;
  const log: (...values: unknown[]) => void;
  const trainingProblems: readonly { readonly question: string; readonly answer: string }[];
}
