/**
 * Decides whether a tool call hands the run to another party (another agent, a human, the
 * user), for the hand-off dimension of the Agent Stability Index.
 */
export type HandoffClassifier = (name: string, args: string) => boolean;

const handoffName = /^(?:transfer_to_|handoff_to_|hand_off_to_)/i;

/**
 * The default {@link HandoffClassifier}: a tool whose name starts with `transfer_to_`,
 * `handoff_to_` or `hand_off_to_`, the names LangGraph's hand-off tools, the OpenAI Agents SDK's
 * hand-offs and tau-bench's `transfer_to_human_agents` use.
 *
 * @param name - the tool's name.
 * @returns whether the call is a hand-off.
 * @example
 * ```ts
 * isHandoffTool('transfer_to_billing_agent'); // true
 * isHandoffTool('search_flights'); // false
 * ```
 */
export function isHandoffTool(name: string): boolean {
  return handoffName.test(name);
}
