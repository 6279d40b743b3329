import type { Attributes } from '@opentelemetry/api';
import type { ControllerEvent, Directive, Evidence, Interrupt, SchedulingHints } from '@reins/core';
import { reinsAttributes } from './gen-ai-attributes.js';

/** A span event: its name and attributes. */
export interface SpanEventData {
  readonly name: string;
  readonly attributes: Attributes;
}

/** Adds a decision's evidence as `reins.evidence.<key>` attributes (nulls are left out). */
export function addEvidence(attributes: Attributes, evidence: Evidence | undefined): void {
  if (evidence === undefined) return;
  for (const [key, value] of Object.entries(evidence)) {
    if (value !== null) attributes[`${reinsAttributes.evidencePrefix}${key}`] = value;
  }
}

/**
 * The span event of a directive the loop applied: `reins.directive.<type>` with the deciding
 * policy (`reins.source`), its reason and message, and its evidence.
 */
export function directiveEvent(directive: Directive, turn: number): SpanEventData {
  const attributes: Attributes = { [reinsAttributes.turn]: turn };
  if ('source' in directive) attributes[reinsAttributes.source] = directive.source;
  switch (directive.type) {
    case 'stop':
      attributes[reinsAttributes.runReason] = directive.reason;
      attributes[reinsAttributes.message] = directive.message;
      if (directive.finalAnswer !== undefined) attributes['reins.stop.final_answer'] = 'force';
      if (directive.endAs !== undefined) attributes['reins.stop.end_as'] = directive.endAs;
      addEvidence(attributes, directive.evidence);
      break;
    case 'grant-turns':
      attributes['reins.grant.turns'] = directive.turns;
      attributes[reinsAttributes.runReason] = directive.reason;
      addEvidence(attributes, directive.evidence);
      break;
    case 'cancel':
    case 'pause':
      attributes[reinsAttributes.runReason] = directive.reason;
      break;
    case 'inject':
      attributes['reins.inject.role'] = directive.role;
      attributes['reins.inject.ephemeral'] = directive.ephemeral;
      attributes['reins.inject.length'] = directive.content.length;
      break;
    case 'model-settings':
      for (const [key, value] of Object.entries(directive.settings)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
          attributes[`reins.settings.${key}`] = value;
      }
      break;
    case 'offer-tools':
      attributes['reins.tools'] = directive.tools.map((tool) => tool.name);
      break;
    case 'compact':
      attributes['reins.compact.from'] = directive.from;
      attributes['reins.compact.to'] = directive.to;
      break;
    case 'emit':
      attributes[reinsAttributes.policy] = directive.event.policy;
      break;
  }
  return { name: `reins.directive.${directive.type}`, attributes };
}

/**
 * The span event of a controller event (`budget.extended`, `stuck.detected`, …):
 * `reins.<name>` with the deciding policy, its message and its evidence.
 */
export function controllerEventData(event: ControllerEvent): SpanEventData {
  const attributes: Attributes = {
    [reinsAttributes.turn]: event.turn,
    [reinsAttributes.policy]: event.policy,
    [reinsAttributes.message]: event.message,
  };
  addEvidence(attributes, event.evidence);
  return { name: `reins.${event.type}`, attributes };
}

/** Attributes of an interruption; its text only when `recordContent` is set. */
export function interruptAttributes(interrupt: Interrupt, recordContent: boolean): Attributes {
  const attributes: Attributes = {
    [reinsAttributes.interruptId]: interrupt.id,
    [reinsAttributes.interruptKind]: interrupt.kind,
    [reinsAttributes.interruptUrgency]: interrupt.urgency,
    [reinsAttributes.turn]: interrupt.turn,
  };
  if (recordContent) attributes[reinsAttributes.interruptText] = interrupt.text;
  return attributes;
}

const hintAttributeNames: Readonly<Record<string, string>> = {
  ttlMs: 'ttl_ms',
  pin: 'pin',
  isLastStep: 'is_last_step',
  expectedPauseMs: 'expected_pause_ms',
  priority: 'priority',
  cacheKey: 'cache_key',
  programId: 'program_id',
};

/** The scheduling (KV-cache) hints of a model call as `reins.hints.<name>` attributes. */
export function hintAttributes(hints: SchedulingHints): Attributes {
  const attributes: Attributes = {};
  for (const [key, name] of Object.entries(hintAttributeNames)) {
    const value = (hints as Record<string, unknown>)[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      attributes[`${reinsAttributes.hintsPrefix}${name}`] = value;
  }
  return attributes;
}
