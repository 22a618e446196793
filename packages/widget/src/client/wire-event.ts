/**
 * What travels on the wire from a Parley server to the widget: the JSON shape of a session's
 * events. These are the types of the core package's `protocol` entry point, written out here
 * so the widget's published types and code need nothing from the core package (a site that
 * installs the widget gets no database driver, no token library and no validation library);
 * a type test holds them equal to the protocol's own (`wire-event.test.ts`).
 */

/** What an event records. */
export type EventKind = 'message' | 'status' | 'tool' | 'custom';

/** Who produced an event. */
export type EventSource = 'customer' | 'ai_agent' | 'human_agent' | 'system';

/** The stages of a turn as the client sees them. */
export type TurnStatus = 'acknowledged' | 'processing' | 'typing' | 'ready' | 'error' | 'cancelled';

/** A JSON value: what a tool's arguments and results and a custom event's payload hold. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A source an agent's reply cites: a retrieved passage's document. */
export interface MessageSource {
  title: string;
  /** Only http and https addresses: clients render it as a link. */
  url?: string;
  /** The cited passage's id within its retriever. */
  passageId?: string;
  /** The retriever that found it. */
  retrieverId?: string;
}

/** A message written by a customer, the agent or a human operator. */
export interface MessageEventData {
  text: string;
  /** The client's id for the message: a repeated id is the same message, never a second one. */
  clientMessageId?: string;
  /** Display name of the author, for human operators. */
  participantName?: string;
  /** The operator's user id in the host: sent to operators only, never to the widget. */
  participantId?: string;
  /** True for an agent's preamble: a holding line sent before a slow reply, not the reply. */
  preamble?: boolean;
  /**
   * What an agent's reply drew on: the sources of the retrieved passages it used, in citation
   * order (a fluid reply's `[1]` is the first), at most 20. The widget reads them defensively
   * (see `readMessageSources`): what a server sends is not trusted to be well formed.
   */
  sources?: MessageSource[];
}

/** A turn's progress; `error` carries what failed and whether a retry can help. */
export interface StatusEventData {
  status: TurnStatus;
  /** For `processing`: the stage, e.g. `guideline_matching`. */
  stage?: string;
  error?: {
    code: string;
    /** A finer reason within the code, e.g. `timeout` for `model_failed`. */
    reason?: string;
    message: string;
    retryable: boolean;
  };
  /** For `ready` (and a turn's `error`): why the agent said what it said. */
  explanation?: Record<string, unknown>;
}

/** One tool call of a turn and its outcome. */
export interface ToolCall {
  toolName: string;
  arguments: Record<string, JsonValue>;
  result?: JsonValue;
  error?: { code: string; message: string };
}

/** The tool calls made in one step of a turn. */
export interface ToolEventData {
  calls: ToolCall[];
}

/** An application-defined event; Parley stores and streams it untouched. */
export interface CustomEventData {
  type: string;
  payload: JsonValue;
}

/** What every event on the wire carries, whatever its kind. */
export interface WireEnvelope {
  id: string;
  sessionId: string;
  /** Position in the session's log: gapless from 0. */
  offset: number;
  source: EventSource;
  /** Groups the events of one turn. */
  traceId: string;
  /** ISO 8601. */
  createdAt: string;
}

/** A message event on the wire. */
export interface WireMessageEvent extends WireEnvelope {
  kind: 'message';
  data: MessageEventData;
}

/** A status event on the wire. */
export interface WireStatusEvent extends WireEnvelope {
  kind: 'status';
  data: StatusEventData;
}

/** A tool event on the wire. */
export interface WireToolEvent extends WireEnvelope {
  kind: 'tool';
  data: ToolEventData;
}

/** A custom event on the wire. */
export interface WireCustomEvent extends WireEnvelope {
  kind: 'custom';
  data: CustomEventData;
}

/** An event as JSON on the wire: one of the four kinds, each with its own `data`. */
export type WireEvent = WireMessageEvent | WireStatusEvent | WireToolEvent | WireCustomEvent;
