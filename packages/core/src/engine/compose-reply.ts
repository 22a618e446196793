import { renderTemplate } from '../composition/render-template';
import type { CannedResponse } from '../domain/canned-response';
import type { CompositionMode } from '../domain/common';
import { type MessageSource, maximumMessageLength } from '../domain/event';
import { cannedIntentKey, isJourneyStepIntent } from './agent-catalog';
import {
  citedNumbers,
  knowledgeFieldRoots,
  knowledgeFieldValues,
  numberSources,
  passagesShownBy,
  showsPassages,
  toMessageSource,
} from './knowledge-sources';
import type { JourneyPosition, MatchOutcome } from './match-guidelines';
import { buildCompositionMessages } from './prompts/composition-prompt';
import type { RetrievedPassage } from './retrieve-knowledge';
import type { ToolStageOutcome } from './run-tool-stage';
import { smallTalkActs } from './small-talk';
import type { TurnContext } from './turn-context';
import type { TurnModel } from './turn-model';

/** The reply a turn sends, and how it was made. */
export interface ComposedReply {
  text: string;
  mode: CompositionMode;
  cannedResponseId: string | null;
  /** True when strict mode found no fitting canned reply and sent the fallback. */
  usedFallback: boolean;
  /** The retrieved passages the reply drew on: shown by its template, or given to the model. */
  usedPassages: Array<RetrievedPassage & { cited: boolean }>;
  /** The sources the message event carries, in citation order; empty when it drew on none. */
  sources: MessageSource[];
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
  /** What the turn's retrievers found for it, most relevant first. */
  passages: readonly RetrievedPassage[];
}

/**
 * Values `{{fields}}` are filled from: variables by name, tool results by tool name (this
 * turn's, else those the journey in progress kept from earlier turns), the customer.
 */
function fieldValues(input: CompositionInput): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { variable, value } of input.context.variables) values[variable.name] = value;
  Object.assign(values, input.tools.journeyMemory);
  for (const run of input.tools.runs) if (run.ok) values[run.toolName] = run.result;
  Object.assign(values, knowledgeFieldValues(input.passages));
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
    return rendered.missingFields.length === 0
      ? { response, text: fitMessage(rendered.text) }
      : null;
  };
  const chosenByModel = render(input.match.cannedResponse);
  if (chosenByModel || input.model) return chosenByModel;
  return chooseCannedWithoutModel(input, render);
}

/**
 * Without a model: the reply closest to what should be said, among those whose every field
 * has a value. What should be said is, in order: the question for a tool argument the customer
 * has not given, the journey step's action, the matched guideline; with none of them the
 * customer's own words must be close to a reply for it to count. A reply that shows the result
 * of the last tool run this turn has a head start over one that shows none: the customer
 * asked for that result.
 */
async function chooseCannedWithoutModel(
  input: CompositionInput,
  render: (
    response: CannedResponse | undefined,
  ) => { response: CannedResponse; text: string } | null,
): Promise<{ response: CannedResponse; text: string } | null> {
  const { catalog } = input.context;
  const missing = input.tools.missingArguments[0];
  // A side question is answered first; the journey's step is asked again on a later turn.
  const step =
    input.journey?.state.kind === 'chat' && !input.match.sideQuestion
      ? input.journey.state.action
      : null;
  const guideline = input.match.applied[0];
  const asking = missing
    ? [
        ...missing.arguments.map((name) => describeParameter(missing.tool.jsonSchema, name)),
        missing.tool.description,
      ].join('\n')
    : null;
  // What should be said, each part searched on its own and the scores weighed: one long
  // query would blur a short action ("give the address and parking") into its examples.
  const guidance: Array<{ text: string; weight: number }> = asking
    ? [{ text: asking, weight: 0.75 }]
    : step
      ? [{ text: step, weight: 0.75 }]
      : guideline
        ? [
            { text: guideline.action ?? guideline.condition, weight: 0.5 },
            { text: [guideline.condition, ...guideline.examples].join('\n'), weight: 0.25 },
          ]
        : [];
  const guided = guidance.length > 0;
  // The intent this reply answers, to prefer the replies that belong to it.
  const intentKey = asking
    ? null
    : step && input.journey
      ? cannedIntentKey({ journeyId: input.journey.journey.id, stateKey: input.journey.state.key })
      : guideline
        ? cannedIntentKey({ guidelineId: guideline.id })
        : null;
  const intentOf =
    intentKey || !guided ? await catalog.cannedResponseIntents() : new Map<string, string>();
  // Chosen by the customer's words alone, a greeting or goodbye (which names everything the
  // agent does) would answer any question about the agent's domain: only small talk gets it.
  const smallTalkIntents: ReadonlyMap<string, unknown> =
    guided || smallTalkActs(input.context.latestCustomerMessage).length > 0
      ? new Map()
      : catalog.smallTalkIntents;
  const latest = input.context.latestCustomerMessage;
  const queries = [
    ...guidance,
    ...(latest.trim() ? [{ text: latest, weight: guided ? 0.25 : 1 }] : []),
  ];
  if (queries.length === 0) return null;
  const threshold = guided ? input.minimumCannedScore / 4 : input.minimumCannedScore;
  const scores = new Map<string, number>();
  const searched = await Promise.all(
    queries.map((query) => catalog.cannedResponseRetriever.search(query.text, 24)),
  );
  searched.forEach((hits, index) => {
    const weight = (queries[index] as { weight: number }).weight;
    for (const hit of hits)
      scores.set(hit.itemId, (scores.get(hit.itemId) ?? 0) + weight * Math.max(0, hit.score));
  });
  const freshRuns = missing ? [] : input.tools.runs.filter((run) => run.ok);
  // Passages found this turn are fresh results too: a reply showing them answers from them.
  const freshTools = new Set([
    ...freshRuns.map((run) => run.toolName),
    ...(input.passages.length > 0 && !missing ? knowledgeFieldRoots : []),
  ]);
  const latestTool = freshRuns.at(-1)?.toolName;
  const toolOf = (field: string) => field.split('.')[0] as string;
  const freshFields = (response: CannedResponse) =>
    response.fields.filter((field) => freshTools.has(toolOf(field))).length;
  // Replies showing a fresh result are candidates even when retrieval missed them: their
  // wording is about the result ("HX-999 was not found"), not about the question.
  const candidates = catalog.cannedResponses.filter(
    (response) =>
      !smallTalkIntents.has(intentOf.get(response.id) ?? '') &&
      // Chosen by the customer's words alone, a journey step's reply ("Shall I place the
      // reservation?") would speak of a step no journey is at.
      (guided || !isJourneyStepIntent(intentOf.get(response.id))) &&
      ((scores.get(response.id) ?? 0) >= threshold ||
        (intentKey !== null && intentOf.get(response.id) === intentKey) ||
        // A reply showing a fresh result; with nothing guiding, one showing what the knowledge
        // found still answers a question no guideline covers, before the fallback.
        (freshFields(response) > 0 && (guided || showsPassages(response)))),
  );
  // The closest in words to what should be said, with a head start for a reply showing the
  // last tool's result and a smaller one for the replies paired with this intent, then the
  // one showing more of this turn's results. Head starts, not rules: paired across a whole
  // catalog at once, a reply can land on a neighbouring intent ("I can renew your loans for
  // you. What's your card number?" on "say nothing could be renewed"), and a journey carried
  // past the step that shows a lookup's result ("found your account: which meter?", the
  // meter already said) asks the next step's question instead.
  const weighed = (candidate: { belongs: boolean; score: number; latest: boolean }) =>
    candidate.score +
    (candidate.belongs ? belongingBonus : 0) +
    (candidate.latest ? latestResultBonus : 0);
  const ranked = candidates
    .map((response) => ({
      response,
      latest: response.fields.some((field) => toolOf(field) === latestTool),
      belongs: intentKey !== null && intentOf.get(response.id) === intentKey,
      fresh: freshFields(response),
      score: scores.get(response.id) ?? 0,
    }))
    .sort(
      (left, right) =>
        weighed(right) - weighed(left) ||
        right.fresh - left.fresh ||
        left.response.id.localeCompare(right.response.id),
    );
  for (const candidate of ranked) {
    const fitting = render(candidate.response);
    if (fitting) return fitting;
  }
  return null;
}

/** A rendered template cut to a message's length (a long passage or tool result can overrun it). */
function fitMessage(text: string): string {
  return text.length <= maximumMessageLength ? text : `${text.slice(0, maximumMessageLength - 1)}…`;
}

/** What pairing with the intent adds to a reply's score (see `cannedResponseIntents`). */
const belongingBonus = 0.1;

/** What showing the result of the last tool run this turn adds to a reply's score. */
const latestResultBonus = 0.3;

/** A parameter's name in words and its description, for finding the reply that asks for it. */
function describeParameter(schema: Record<string, unknown>, name: string): string {
  const properties = (schema.properties ?? {}) as Record<string, { description?: unknown }>;
  const description = properties[name]?.description;
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ');
  return typeof description === 'string' ? `${words}: ${description}` : words;
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
      const shown = passagesShownBy(canned.response.fields, input.passages);
      return {
        text: canned.text,
        mode: input.mode,
        cannedResponseId: canned.response.id,
        usedFallback: false,
        usedPassages: shown.map((passage) => ({ ...passage, cited: true })),
        sources: numberSources(shown).map(toMessageSource),
      };
    }
    if (strict) {
      await streamText(input.fallbackReply, input.onDelta);
      return {
        text: input.fallbackReply,
        mode: 'canned_strict',
        cannedResponseId: null,
        usedFallback: true,
        usedPassages: [],
        sources: [],
      };
    }
  }

  const model = input.model as TurnModel;
  const { catalog } = input.context;
  const knowledge = numberSources(input.passages);
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
    knowledge,
  });
  let text = '';
  for await (const part of model.streamText({
    purpose: 'reply',
    messages,
    signal: input.context.signal,
    toolChoice: 'none',
  })) {
    if (part.type === 'text-delta' && part.text.length > 0) {
      // A reply longer than a message may be is cut, not refused: the customer keeps what
      // was written (it has been streamed already), ended by an ellipsis.
      const room = maximumMessageLength - 1 - text.length;
      const piece = part.text.slice(0, Math.max(0, room));
      if (piece.length > 0) {
        text += piece;
        await input.onDelta(piece);
      }
      if (piece.length < part.text.length) {
        text += '…';
        await input.onDelta('…');
        break;
      }
    }
  }
  if (text.trim().length === 0) {
    // A model that answered with nothing must not leave the customer with nothing.
    await streamText(input.fallbackReply, input.onDelta);
    return {
      text: input.fallbackReply,
      mode: 'fluid',
      cannedResponseId: null,
      usedFallback: true,
      usedPassages: [],
      sources: [],
    };
  }
  // Every source the model was given is listed, numbered as it was given, so a `[2]` in the
  // reply is the second source under it; the explanation tells which were cited.
  const cited = citedNumbers(text, knowledge.length);
  return {
    text: text.trim(),
    mode: 'fluid',
    cannedResponseId: null,
    usedFallback: false,
    usedPassages: knowledge.flatMap((numbered) =>
      numbered.passages.map((passage) => ({ ...passage, cited: cited.has(numbered.number) })),
    ),
    sources: knowledge.map(toMessageSource),
  };
}
