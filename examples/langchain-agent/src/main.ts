/**
 * An existing LangChain support agent with Reins added in one line. Runs on LangChain's fake
 * chat model by default; on a live OpenAI-compatible model when `REINS_MODEL` is set (with
 * `OPENAI_BASE_URL` and/or `OPENAI_API_KEY`): `pnpm --filter @reins/example-langchain-agent start`.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import type { ReinsEvent } from '@reins/langchain';
import { createFakeSupportModel } from './fake-support-model.js';
import { runOrderAgent } from './run-order-agent.js';

function chooseModel(): { model: BaseChatModel; label: string } {
  const modelName = process.env.REINS_MODEL;
  if (modelName === undefined || modelName === '') {
    return {
      model: createFakeSupportModel(),
      label: 'LangChain fake model (set REINS_MODEL for a live one)',
    };
  }
  const baseURL = process.env.OPENAI_BASE_URL;
  return {
    model: new ChatOpenAI({
      model: modelName,
      apiKey: process.env.OPENAI_API_KEY ?? 'not-needed',
      ...(baseURL === undefined ? {} : { configuration: { baseURL } }),
    }),
    label: `${modelName}${baseURL === undefined ? '' : ` at ${baseURL}`}`,
  };
}

function print(event: ReinsEvent): void {
  if (event.type === 'turn.start') console.log(`turn ${event.turn}`);
  else if ('controller' in event) console.log(`  [${event.type}] ${event.message}`);
  else if (event.type === 'run.stop') console.log(`  [run.stop] ${event.reason}: ${event.message}`);
}

const { model, label } = chooseModel();
console.log(`model: ${label}`);
const message = 'My order A-1002 never arrived. Can I get my money back?';
console.log(`customer: ${message}`);
const result = await runOrderAgent(model, message, print);
console.log(`tools called: ${result.toolsCalled.join(', ') || 'none'}`);
console.log(`agent: ${result.answer}`);
