/**
 * Prints the agent loop's state chart as a Mermaid diagram, generated from the machine
 * definition itself (`agentMachine` in @reins/core), so the diagram in the concepts guide
 * cannot drift from the code:
 *
 *   node --conditions=@reins/source --import tsx docs/scripts/state-chart.ts
 */
import { agentMachine } from '../../packages/core/src/agent-machine.js';

interface StateNodeLike {
  readonly id: string;
  readonly key: string;
  readonly initial?: { readonly target: readonly StateNodeLike[] } | undefined;
  readonly states: Readonly<Record<string, StateNodeLike>>;
  readonly transitions: ReadonlyMap<
    string,
    readonly {
      readonly eventType: string;
      readonly target?: readonly StateNodeLike[] | undefined;
    }[]
  >;
  readonly always?: readonly { readonly target?: readonly StateNodeLike[] | undefined }[];
  readonly type: string;
}

const name = (node: StateNodeLike) =>
  node.id.replace(/^agent\.?/, '').replace(/\./g, '_') || 'agent';
const lines: string[] = ['stateDiagram-v2'];

function visit(node: StateNodeLike, indent: string): void {
  const children = Object.values(node.states);
  if (node.initial?.target[0] !== undefined)
    lines.push(`${indent}[*] --> ${name(node.initial.target[0])}`);
  for (const child of children) {
    if (Object.keys(child.states).length > 0) {
      lines.push(`${indent}state ${name(child)} {`);
      visit(child, `${indent}  `);
      lines.push(`${indent}}`);
    }
    if (child.type === 'final') lines.push(`${indent}${name(child)} --> [*]`);
  }
  for (const child of children) {
    for (const [event, transitions] of child.transitions) {
      const seen = new Set<string>();
      for (const transition of transitions)
        for (const target of transition.target ?? []) {
          const label = event.startsWith('xstate.done.actor')
            ? 'done'
            : event.startsWith('xstate.error.actor')
              ? 'error'
              : event;
          const line = `${indent}${name(child)} --> ${name(target)}: ${label}`;
          if (!seen.has(line)) lines.push(line);
          seen.add(line);
        }
    }
    const seen = new Set<string>();
    for (const transition of child.always ?? [])
      for (const target of transition.target ?? []) {
        const line = `${indent}${name(child)} --> ${name(target)}`;
        if (!seen.has(line)) lines.push(line);
        seen.add(line);
      }
  }
}

visit(agentMachine.root as unknown as StateNodeLike, '');
process.stdout.write(`${lines.join('\n')}\n`);
