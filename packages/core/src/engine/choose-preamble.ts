import type { ParleyEvent } from '../domain/event';
import type { AgentCatalog } from './agent-catalog';

/** Why a turn sent its preamble: it runs tools, or its first token was late. */
export type PreambleReason = 'tools' | 'slow';

/** What an agent with a model says when it has no preamble of its own, by reason. */
export const defaultPreambles: Readonly<Record<PreambleReason, string>> = {
  tools: 'Let me look that up.',
  slow: 'One moment, please.',
};

/** A preamble to send: its text, and the canned response it came from (`null` for a default). */
export interface PreambleChoice {
  text: string;
  cannedResponseId: string | null;
}

/**
 * The preamble of a turn, chosen without a model call: the agent's preamble canned responses
 * (tagged `preamble`, without `{{fields}}`: nothing is known yet to fill them) in rotation,
 * one further on for every preamble already in the history window, so consecutive slow turns
 * do not repeat themselves. An agent without any says a default line when the engine has a
 * model, and nothing without one: strict no-model mode only sends the agent's own words.
 */
export function choosePreamble(input: {
  catalog: AgentCatalog;
  history: readonly ParleyEvent[];
  reason: PreambleReason;
  hasModel: boolean;
}): PreambleChoice | null {
  const responses = input.catalog.preambles.filter((response) => response.fields.length === 0);
  if (responses.length === 0) {
    return input.hasModel ? { text: defaultPreambles[input.reason], cannedResponseId: null } : null;
  }
  const sentBefore = input.history.filter(
    (event) =>
      event.kind === 'message' && event.source === 'ai_agent' && event.data.preamble === true,
  ).length;
  const response = responses[sentBefore % responses.length] as (typeof responses)[number];
  return { text: response.template, cannedResponseId: response.id };
}
