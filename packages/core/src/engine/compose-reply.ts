import { renderTemplate } from '../composition/render-template';
import type { CannedResponse } from '../domain/canned-response';
import type { CompositionMode } from '../domain/common';
import type { JourneyPosition, MatchOutcome } from './match-guidelines';
import { buildCompositionMessages } from './prompts/composition-prompt';
import type { ToolStageOutcome } from './run-tool-stage';
import type { TurnContext } from './turn-context';
import type { TurnModel } from './turn-model';

/** The reply a turn sends, and how it was made. */
export interface ComposedReply {
  text: string;
  mode: CompositionMode;
  cannedResponseId: string | null;
  /** True when strict mode found no fitting canned reply and sent the fallback. */
  usedFallback: boolean;
}

/** The composition stage's inputs. */
export interface CompositionInput {
  context: TurnContext;
  model: TurnModel | null;
  mode: CompositionMode;
  match: MatchOutcome;
  tools: ToolStageOutcome;
  journey: JourneyPosition | null;
  fallbackReply: string;
  /** Least retrieval score for a canned reply chosen without a model. */
  minimumCannedScore: number;
  /** Receives the reply as it is written (every mode streams). */
  onDelta: (text: string) => Promise<void>;
}

/** Values `{{fields}}` are filled from: variables by name, tool results by tool name, the customer. */
function fieldValues(input: CompositionInput): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { variable, value } of input.context.variables) values[variable.name] = value;
  for (const run of input.tools.runs) if (run.ok) values[run.toolName] = run.result;
  const customer = input.context.customer;
  if (customer)
    values.customer = {
      name: customer.name,
      email: customer.email,
      externalId: customer.externalId,
    };
  return values;
}

/** Streams a finished text in word-sized pieces, so canned replies arrive like written ones. */
async function streamText(text: string, onDelta: (text: string) => Promise<void>): Promise<void> {
  for (const piece of text.match(/\S+\s*|\s+/g) ?? []) await onDelta(piece);
}

/** The canned reply to send, if one fits and every field has a value. */
async function chooseCanned(
  input: CompositionInput,
  values: Record<string, unknown>,
): Promise<{ response: CannedResponse; text: string } | null> {
  const render = (response: CannedResponse | null | undefined) => {
    if (!response) return null;
    const rendered = renderTemplate(response.template, values);
    return rendered.missingFields.length === 0 ? { response, text: rendered.text } : null;
  };
  const chosenByModel = render(input.match.cannedResponse);
  if (chosenByModel || input.model) return chosenByModel;
  // Without a model: the reply closest to what should be said. A journey step or a matched
  // guideline already says the reply is on topic, so any lexical kinship will do; with
  // neither, the customer's own words must be close to a reply for it to count.
  const step = input.journey?.state.kind === 'chat' ? input.journey.state.action : null;
  const guideline = input.match.applied[0];
  const guided =
    step ??
    (guideline
      ? [guideline.condition, guideline.action ?? '', ...guideline.examples].join('\n')
      : null);
  const query = [guided, input.context.latestCustomerMessage].filter(Boolean).join('\n');
  if (!query) return null;
  const threshold = guided ? input.minimumCannedScore / 4 : input.minimumCannedScore;
  const hits = await input.context.catalog.cannedResponseRetriever.search(query, 5);
  for (const hit of hits) {
    if (hit.score < threshold) break;
    const fitting = render(
      input.context.catalog.cannedResponses.find((response) => response.id === hit.itemId),
    );
    if (fitting) return fitting;
  }
  return null;
}

/**
 * Writes the reply in the turn's composition mode, streaming it through `onDelta`:
 * `fluid` lets the model write it; `canned_fluid` sends a fitting canned reply, else writes;
 * `canned_strict` sends only canned replies (fields filled from variables and tool results),
 * or the fallback — and without a model, chooses by retrieval alone.
 */
export async function composeReply(input: CompositionInput): Promise<ComposedReply> {
  const values = fieldValues(input);
  const strict = input.mode === 'canned_strict' || input.model === null;
  if (input.mode !== 'fluid' || strict) {
    const canned = await chooseCanned(input, values);
    if (canned) {
      await streamText(canned.text, input.onDelta);
      return {
        text: canned.text,
        mode: input.mode,
        cannedResponseId: canned.response.id,
        usedFallback: false,
      };
    }
    if (strict) {
      await streamText(input.fallbackReply, input.onDelta);
      return {
        text: input.fallbackReply,
        mode: 'canned_strict',
        cannedResponseId: null,
        usedFallback: true,
      };
    }
  }

  const model = input.model as TurnModel;
  const { catalog } = input.context;
  const step =
    input.journey?.state.kind === 'chat' && input.journey.state.action
      ? { title: input.journey.journey.title, action: input.journey.state.action }
      : null;
  const messages = buildCompositionMessages({
    agentName: catalog.agent.name,
    agentDescription: catalog.agent.description,
    conversation: input.context.conversation,
    guidelines: input.match.applied,
    journeyStep: step,
    disambiguation: input.match.disambiguation
      ? { options: input.match.disambiguation.options.map((guideline) => guideline.condition) }
      : null,
    missingArguments: input.tools.missingArguments.map((missing) => ({
      toolDescription: missing.tool.description,
      arguments: missing.arguments,
    })),
    toolRuns: input.tools.runs,
    terms: input.match.terms,
    variables: input.context.variables.map(({ variable, value }) => ({
      name: variable.name,
      value,
    })),
  });
  let text = '';
  for await (const part of model.streamText({
    purpose: 'reply',
    messages,
    signal: input.context.signal,
    toolChoice: 'none',
  })) {
    if (part.type === 'text-delta' && part.text.length > 0) {
      text += part.text;
      await input.onDelta(part.text);
    }
  }
  if (text.trim().length === 0) {
    // A model that answered with nothing must not leave the customer with nothing.
    await streamText(input.fallbackReply, input.onDelta);
    return { text: input.fallbackReply, mode: 'fluid', cannedResponseId: null, usedFallback: true };
  }
  return { text: text.trim(), mode: 'fluid', cannedResponseId: null, usedFallback: false };
}
