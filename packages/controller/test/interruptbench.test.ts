/**
 * Every InterruptBench scenario (6 files × 165) through the real loop: a scripted run of the
 * scenario's initial intent, ten browsing actions then an answer, is interrupted after 20, 40,
 * 60 and 80% of its actions with the scenario's typed updates, with both urgencies. For each,
 * the current intent, the message the model receives and the order of history are checked.
 */
import {
  type AgentEvent,
  type Controller,
  createAgent,
  defineTool,
  type Interrupt,
  type Message,
  type UserMessage,
} from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createController } from '../src/create-controller.js';
import { type CurrentIntent, toCurrentIntent } from '../src/current-intent.js';
import {
  createInterruptionPolicy,
  defaultInterruptionTemplates,
} from '../src/interruption-policy.js';
import {
  type InterruptBenchScenario,
  interruptPoints,
  loadInterruptBench,
  type UpdateKind,
} from './interruptbench.js';

const actions = 10;
const percents = [20, 40, 60, 80] as const;
const urgencies = ['next-turn', 'now'] as const;
type Urgency = (typeof urgencies)[number];

const scenarios = loadInterruptBench();
const files = [...new Set(scenarios.map((scenario) => scenario.file))];

const kindPhrase: Readonly<Record<UpdateKind, string>> = {
  addition: defaultInterruptionTemplates.addition.replace('{text}', ''),
  revision: defaultInterruptionTemplates.revision.replace('{text}', ''),
  retraction: defaultInterruptionTemplates.retraction.replace('{text}', ''),
};

interface ScenarioRun {
  readonly status: string;
  readonly turns: number;
  readonly messages: readonly Message[];
  readonly requests: readonly (readonly Message[])[];
  readonly finalIntent: CurrentIntent | undefined;
  readonly applied: readonly Interrupt[];
  readonly aborted: readonly string[];
}

async function runScenario(
  scenario: InterruptBenchScenario,
  percent: number,
  urgency: Urgency,
): Promise<ScenarioRun> {
  const points = interruptPoints(scenario, actions, percent);
  const aborted: string[] = [];
  // The action during which the updates due after `point` actions arrive is action point + 1.
  const byAction = new Map<number, { kind: UpdateKind; text: string }[]>();
  scenario.updates.forEach((update, index) => {
    const action = (points[index] as number) + 1;
    byAction.set(action, [...(byAction.get(action) ?? []), update]);
  });
  let sendUpdates: (action: number) => boolean = () => false;
  const browse = defineTool({
    name: 'browse',
    description: 'Opens a page of the shop admin.',
    input: z.object({ step: z.number() }),
    execute: ({ step }, { signal, callId }) => {
      const interrupted = sendUpdates(step);
      if (!interrupted || urgency === 'next-turn') return `page ${step}`;
      return new Promise<string>((_resolve, reject) =>
        signal.addEventListener('abort', () => {
          aborted.push(callId);
          reject(signal.reason);
        }),
      );
    },
  });
  const backend = createScriptedBackend({
    responses: [
      ...Array.from({ length: actions }, (_, index) => ({
        toolCalls: [{ name: 'browse', arguments: { step: index + 1 } }],
      })),
      { text: 'Here is the answer.' },
    ],
  });
  let finalIntent: CurrentIntent | undefined;
  const observer: Controller = {
    name: 'observer',
    open: () => ({
      beforeModel: (view) => {
        finalIntent = toCurrentIntent(view.task, view.intentUpdates);
        return undefined;
      },
    }),
  };
  let next = 0;
  const agent = createAgent({
    backend,
    tools: [browse],
    controller: createController({
      budget: observer,
      interruptions: createInterruptionPolicy(),
      hints: false,
    }),
    generateId: () => `id${next++}`,
  });
  const handle = agent.run(scenario.initialIntent);
  const applied: Interrupt[] = [];
  handle.on('interrupt.applied', (event: AgentEvent & { type: 'interrupt.applied' }) => {
    applied.push(event.interrupt);
  });
  sendUpdates = (step) => {
    const due = byAction.get(step);
    if (due === undefined) return false;
    for (const update of due) handle.interrupt({ kind: update.kind, text: update.text, urgency });
    return true;
  };
  const result = await handle.result;
  return {
    status: result.status,
    turns: result.turns,
    messages: result.messages,
    requests: backend.requests.map((request) => request.messages),
    finalIntent,
    applied,
    aborted,
  };
}

/** The current intent as the model should read it, written out from the scenario. */
function restatedIntent(
  initialIntent: string,
  updates: readonly { readonly kind: UpdateKind; readonly text: string }[],
): string {
  if (updates.length === 0) return initialIntent;
  const lines = updates.map((update, index) => `${index + 1}. (${update.kind}) ${update.text}`);
  return `${initialIntent}\n\nUpdates since:\n${lines.join('\n')}`;
}

const stopWords = new Set(
  'the a an of in on for to and or with by is are what which that this from at as be me my i'.split(
    ' ',
  ),
);

function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z0-9$]+(?:[.-][a-z0-9]+)*/g) ?? []);
}

/**
 * The words the intended intent has beyond the initial one, when the updates' text contains
 * them all (the dataset gives the intended intent, in other words, for 765 of the 990
 * scenarios); `undefined` otherwise.
 */
function wordsTheUpdatesGive(scenario: InterruptBenchScenario): Set<string> | undefined {
  const initial = wordsOf(scenario.initialIntent);
  const given = wordsOf(scenario.updates.map((update) => update.text).join(' '));
  const added = [...wordsOf(scenario.intendedIntent)].filter(
    (word) => !initial.has(word) && !stopWords.has(word),
  );
  return added.every((word) => given.has(word)) ? new Set(added) : undefined;
}

/** Scenarios whose restated intent was checked against the intended intent. */
const intendedChecked = new Set<string>();

function isUpdate(message: Message | undefined): message is UserMessage {
  return message?.role === 'user' && message.origin?.kind === 'interrupt';
}

function checkScenario(
  scenario: InterruptBenchScenario,
  percent: number,
  urgency: Urgency,
  run: ScenarioRun,
): void {
  const label = `${scenario.file} task ${scenario.taskId} at ${percent}% (${urgency})`;
  const points = interruptPoints(scenario, actions, percent);
  expect(run.status, label).toBe('done');
  // An update never costs a turn of the script: ten actions and the answer.
  expect(run.turns, label).toBe(actions + 1);

  // The intent state: the initial intent plus every update, typed and in order.
  expect(run.finalIntent, label).toEqual({
    task: scenario.initialIntent,
    status: 'active',
    updates: scenario.updates.map((update, index) => ({
      id: `id${index + 1}`,
      kind: update.kind,
      text: update.text,
      turn: (points[index] as number) + 1,
    })),
  });
  expect(
    run.applied.map((interrupt) => interrupt.text),
    label,
  ).toEqual(scenario.updates.map((update) => update.text));

  // The messages the model receives: one update message per interrupt point, right after the
  // result of the action during which it arrived.
  const distinct = [...new Set(points)];
  const updateMessages = run.messages.filter(isUpdate);
  expect(updateMessages, label).toHaveLength(distinct.length);
  let delivered = 0;
  distinct.forEach((point, position) => {
    const action = point + 1;
    const updates = scenario.updates.filter((_, index) => points[index] === point);
    const ids = scenario.updates.flatMap((_, index) =>
      points[index] === point ? [`id${index + 1}`] : [],
    );
    // The request of the turn after that action is the first to carry the update.
    const request = run.requests[action] as readonly Message[];
    const message = request.at(-1);
    expect(isUpdate(message), label).toBe(true);
    const update = message as UserMessage;
    expect(update, label).toBe(updateMessages[position]);
    expect(run.requests[action - 1]?.filter(isUpdate), label).toHaveLength(position);
    expect(update.content.startsWith(defaultInterruptionTemplates.header), label).toBe(true);
    let from = defaultInterruptionTemplates.header.length;
    for (const each of updates) {
      const at = update.content.indexOf(`${kindPhrase[each.kind]}${each.text.trim()}`, from);
      expect(at, `${label}: '${each.text}' in order`).toBeGreaterThan(from - 1);
      from = at + 1;
    }
    // The message ends with the whole task as it now stands: the initial intent and every
    // update applied so far, numbered and typed.
    const applied = scenario.updates.filter((_, index) => (points[index] as number) <= point);
    const restated = `The task as it now stands:\n${restatedIntent(scenario.initialIntent, applied)}`;
    expect(update.content.endsWith(`\n\n${restated}`), `${label}: ${update.content}`).toBe(true);
    if (applied.length === scenario.updates.length) {
      const intended = wordsTheUpdatesGive(scenario);
      if (intended !== undefined) {
        const words = wordsOf(restated);
        expect(
          [...intended].filter((word) => !words.has(word)),
          label,
        ).toEqual([]);
        intendedChecked.add(`${scenario.file} ${scenario.taskId}`);
      }
    }
    expect(update.origin, label).toEqual({
      kind: 'interrupt',
      interruptId: ids.at(-1),
      interruptKind: updates.at(-1)?.kind,
      ...(ids.length > 1 ? { interruptIds: ids } : {}),
    });
    // Ordering: the tool result of the action comes right before the update; with `now` that
    // action was cancelled (its signal fired), with `next-turn` it finished.
    const before = request.at(-2);
    expect(before?.role, label).toBe('tool');
    if (before?.role === 'tool') {
      expect(before.result.status, label).toBe(urgency === 'now' ? 'cancelled' : 'ok');
    }
    delivered += 1;
  });
  expect(delivered, label).toBe(distinct.length);
  expect(run.aborted, label).toHaveLength(urgency === 'now' ? distinct.length : 0);
  // Stored, not ephemeral: the final request still carries every update.
  expect(run.requests.at(-1)?.filter(isUpdate), label).toHaveLength(distinct.length);
}

describe('InterruptBench scenarios', () => {
  it('has all six files of 165 scenarios', () => {
    expect(files).toHaveLength(6);
    expect(scenarios).toHaveLength(990);
    for (const file of files) {
      expect(scenarios.filter((scenario) => scenario.file === file)).toHaveLength(165);
    }
  });

  for (const file of files) {
    for (const urgency of urgencies) {
      it(`applies every update of ${file} at 20/40/60/80% with urgency ${urgency}`, async () => {
        for (const scenario of scenarios.filter((each) => each.file === file)) {
          for (const percent of percents) {
            checkScenario(
              scenario,
              percent,
              urgency,
              await runScenario(scenario, percent, urgency),
            );
          }
        }
      }, 120_000);
    }
  }

  it('checked the restated intent against the intended intent wherever the updates give it', () => {
    // Runs after the scenarios above (vitest runs a file's tests in order).
    expect(intendedChecked.size).toBe(765);
  });
});
