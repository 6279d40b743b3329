import { AIMessage, ToolMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import {
  createContract,
  limitIdenticalFailingCommands,
  neverEditTestFiles,
  runTestsBeforeSubmitting,
} from '@reins/controller';
import { createAgent, tool } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { textOf } from './convert-from-langchain-messages.js';
import type { ReinsEvent } from './reins-event.js';
import { reinsMiddleware } from './reins-middleware.js';
import { createRequestSpy } from './test-agent-parts.test-helpers.js';

/**
 * A real LangChain shell tool whose commands are recorded; `make` always fails, answered as an
 * error tool message (a non-zero exit code) so that the agent goes on.
 */
function createShellTools() {
  const ran: string[] = [];
  const submitted: string[] = [];
  const run = tool(
    async ({ command }: { command: string }, config: { toolCall?: { id?: string } }) => {
      ran.push(command);
      if (command.startsWith('make'))
        return new ToolMessage({
          content: 'exit code 2: make: *** [all] Error 2',
          status: 'error',
          tool_call_id: config.toolCall?.id ?? '',
        });
      return command.startsWith('pytest') ? '3 passed' : `ran ${command}`;
    },
    { name: 'run', description: 'Runs a command.', schema: z.object({ command: z.string() }) },
  );
  const submit = tool(
    async ({ summary }: { summary: string }) => {
      submitted.push(summary);
      return 'submitted';
    },
    { name: 'submit', description: 'Submits.', schema: z.object({ summary: z.string() }) },
  );
  return { tools: [run, submit], ran, submitted };
}

const coding = () =>
  createContract({
    name: 'coding',
    governance: [
      neverEditTestFiles(),
      runTestsBeforeSubmitting(),
      limitIdenticalFailingCommands(2),
    ],
    satisfaction: { p: 0.9, delta: 0.2, k: 2 },
  });

/** The rule a contract event names in its evidence. */
const ruleOf = (event: ReinsEvent) => ('evidence' in event ? String(event.evidence.rule) : '');

function contractEvents(reins: ReturnType<typeof reinsMiddleware>) {
  const events: ReinsEvent[] = [];
  reins.on('*', (event) => {
    if (event.type.startsWith('contract.')) events.push(event);
  });
  return events;
}

describe('a contract in LangChain createAgent, through reinsMiddleware', () => {
  it('denies a test edit and an untested submission, and sees the agent recover within k', async () => {
    const { tools, ran, submitted } = createShellTools();
    const model = fakeModel()
      .respondWithTools([{ name: 'run', args: { command: "sed -i 's/1/2/' pkg/tests/test_a.py" } }])
      .respondWithTools([{ name: 'run', args: { command: "sed -i 's/a/b/' pkg/a.py" } }])
      .respondWithTools([{ name: 'submit', args: { summary: 'first' } }])
      .respondWithTools([{ name: 'run', args: { command: 'pytest -q' } }])
      .respondWithTools([{ name: 'submit', args: { summary: 'second' } }])
      .respond(new AIMessage('Submitted.'));
    const reins = reinsMiddleware(coding());
    const events = contractEvents(reins);
    const agent = createAgent({ model, tools, middleware: [reins] });

    const result = await agent.invoke({ messages: [{ role: 'user', content: 'Fix the bug.' }] });

    expect(ran).toEqual(["sed -i 's/a/b/' pkg/a.py", 'pytest -q']);
    expect(submitted).toEqual(['second']);
    const denials = result.messages
      .filter(ToolMessage.isInstance)
      .filter((message) => message.status === 'error')
      .map((message) => textOf(message.content));
    expect(denials).toEqual([
      "Tool call 'run' was denied by coding: contract rule 'never-edit-test-files': Never edit test files; change the code under test instead.",
      "Tool call 'submit' was denied by coding: contract rule 'run-tests-before-submitting': Run the tests after your last edit, before submitting.",
    ]);
    expect(events.map((event) => `${event.type} ${ruleOf(event)}`)).toEqual([
      'contract.violated never-edit-test-files',
      'contract.violated run-tests-before-submitting',
      'contract.recovered run-tests-before-submitting',
    ]);
  });

  it('injects the correction on the next request after a command failed N times, as the Reins loop does', async () => {
    const { tools } = createShellTools();
    const model = fakeModel()
      .respondWithTools([{ name: 'run', args: { command: 'make' } }])
      .respondWithTools([{ name: 'run', args: { command: 'make' } }])
      .respondWithTools([{ name: 'run', args: { command: 'make' } }])
      .respondWithTools([{ name: 'run', args: { command: 'make test' } }])
      .respond(new AIMessage('Gave up on make.'));
    const reins = reinsMiddleware(coding());
    const spy = createRequestSpy();
    const events = contractEvents(reins);
    const agent = createAgent({ model, tools, middleware: [reins, spy.middleware] });

    await agent.invoke({ messages: [{ role: 'user', content: 'Build it.' }] });

    expect(spy.requests[3]?.messages.at(-1)).toEqual({
      type: 'human',
      text: "Contract rule 'limit-identical-failing-commands' was broken: Do not run a command that has already failed 2 times; change the approach.",
    });
    expect(events.map((event) => event.type)).toEqual(['contract.violated', 'contract.recovered']);
  });
});
