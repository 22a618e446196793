import type { Agent, AgentInput, AgentKnowledgeBase, AgentPatch } from '../domain/agent';
import type {
  AgentApiKey,
  AgentApiKeyInput,
  AgentApiKeyListFilter,
  AgentApiKeyPatch,
  IssuedAgentApiKey,
} from '../domain/agent-api-key';
import type {
  AgentKey,
  AgentKeyInput,
  AgentKeyListFilter,
  AgentKeyPatch,
  IssuedAgentKey,
} from '../domain/agent-key';
import type {
  AgentWorkflow,
  AgentWorkflowInput,
  AgentWorkflowListFilter,
  AgentWorkflowPatch,
} from '../domain/agent-workflow';
import type {
  CannedResponse,
  CannedResponseInput,
  CannedResponseListFilter,
  CannedResponsePatch,
} from '../domain/canned-response';
import type { Page, PageRequest } from '../domain/common';
import type {
  Customer,
  CustomerInput,
  CustomerListFilter,
  CustomerPatch,
} from '../domain/customer';
import type {
  EventInput,
  EventListOptions,
  EventSearchOptions,
  ParleyEvent,
} from '../domain/event';
import type {
  Guideline,
  GuidelineInput,
  GuidelineListFilter,
  GuidelinePatch,
} from '../domain/guideline';
import type {
  Journey,
  JourneyDocument,
  JourneyInput,
  JourneyListFilter,
  JourneyPatch,
} from '../domain/journey';
import type {
  Relationship,
  RelationshipInput,
  RelationshipListFilter,
} from '../domain/relationship';
import type {
  Session,
  SessionInput,
  SessionListFilter,
  SessionPatch,
  SessionTurnState,
} from '../domain/session';
import type {
  SessionWorkflow,
  SessionWorkflowInput,
  SessionWorkflowOutcome,
} from '../domain/session-workflow';
import type { Term, TermInput, TermListFilter, TermPatch } from '../domain/term';
import type { Tool, ToolInput, ToolPatch } from '../domain/tool';
import type {
  Variable,
  VariableInput,
  VariableListFilter,
  VariablePatch,
  VariableResolutionContext,
  VariableTarget,
  VariableValue,
} from '../domain/variable';

/**
 * The operations every kind of stored record offers, always within one workspace.
 * Reads never return archived records; ids of other workspaces are simply not found.
 * Every input is validated (a `validation_failed` ParleyError names the field); a live
 * duplicate of a unique name is a `conflict`; a missing record is `not_found`.
 */
export interface RecordRepository<TRecord, TInput, TPatch, TFilter = object> {
  /** Creates a record; the input is validated and defaults are filled in. */
  create(input: TInput): Promise<TRecord>;
  /** The live record with this id; throws `not_found` otherwise. */
  get(id: string): Promise<TRecord>;
  /** The live record with this id, or `null`. */
  find(id: string): Promise<TRecord | null>;
  /** Changes the given fields of a live record; throws `not_found` otherwise. */
  update(id: string, patch: TPatch): Promise<TRecord>;
  /** Soft-deletes a live record: it disappears from reads and frees its unique names. */
  archive(id: string): Promise<void>;
  /** Deletes a record for good, with everything that cascades from it. */
  delete(id: string): Promise<void>;
  /** Live records in creation order, a page at a time. */
  list(options?: PageRequest & TFilter): Promise<Page<TRecord>>;
}

/** Agents of a workspace, and the tools attached to them. */
export interface AgentRepository extends RecordRepository<Agent, AgentInput, AgentPatch> {
  /** Makes a tool available to the agent (idempotent). */
  attachTool(agentId: string, toolId: string): Promise<void>;
  /** Removes a tool from the agent (idempotent). */
  detachTool(agentId: string, toolId: string): Promise<void>;
  /** The live tools attached to the agent, by name. */
  listTools(agentId: string): Promise<Tool[]>;
  /**
   * Links one of the host's knowledge bases (its id, e.g. Sim's `knowledge_base.id`) to the
   * agent (idempotent): retrievers receive the linked ids with every turn. Answers the link,
   * and whether this call made it (`false`: it was there already).
   */
  attachKnowledgeBase(
    agentId: string,
    knowledgeBaseId: string,
  ): Promise<{ link: AgentKnowledgeBase; created: boolean }>;
  /** Unlinks a knowledge base from the agent (idempotent). */
  detachKnowledgeBase(agentId: string, knowledgeBaseId: string): Promise<void>;
  /** The knowledge bases linked to the agent, oldest link first. */
  listKnowledgeBases(agentId: string): Promise<AgentKnowledgeBase[]>;
  /**
   * A fingerprint of everything the agent's turns read (its own fields, guidelines and their
   * tools, relationships, journeys, variables, terms, canned responses, attached tools): it
   * changes whenever any of them does, whoever made the change. One cheap query, so caches
   * can check it on every turn.
   */
  catalogRevision(agentId: string): Promise<string>;
}

/** Guidelines of an agent, and the tools attached to each. */
export interface GuidelineRepository
  extends RecordRepository<Guideline, GuidelineInput, GuidelinePatch, GuidelineListFilter> {
  /** Every live guideline of the agent at once (matching needs them all; no paging). */
  listAll(agentId: string, options?: { enabledOnly?: boolean }): Promise<Guideline[]>;
  /** Replaces the set of tools attached to the guideline. */
  setTools(guidelineId: string, toolIds: readonly string[]): Promise<void>;
  /** Ids of the tools attached to the guideline. */
  listToolIds(guidelineId: string): Promise<string[]>;
  /** Every (guideline, tool) attachment of the agent's live guidelines, in one read. */
  listToolLinks(agentId: string): Promise<Array<{ guidelineId: string; toolId: string }>>;
}

/** Relationships between guidelines of an agent. They are created and archived, not edited. */
export interface RelationshipRepository
  extends Omit<
    RecordRepository<Relationship, RelationshipInput, never, RelationshipListFilter>,
    'update'
  > {}

/** Journeys of an agent, each read and written as one document of states and transitions. */
export interface JourneyRepository
  extends RecordRepository<Journey, JourneyInput, JourneyPatch, JourneyListFilter> {
  /**
   * Replaces the journey's states, transitions and scoped guidelines with the document's.
   * States keep their ids when their key is kept; transitions are rewritten.
   */
  replace(id: string, document: JourneyDocument): Promise<Journey>;
}

/** Tool declarations of the workspace. */
export interface ToolRepository extends RecordRepository<Tool, ToolInput, ToolPatch> {
  /** The live tool with this name, or `null`. */
  findByName(name: string): Promise<Tool | null>;
}

/** Context variables of an agent and their values. */
export interface VariableRepository
  extends RecordRepository<Variable, VariableInput, VariablePatch, VariableListFilter> {
  /** Sets (inserts or replaces) the variable's value for one target; `refreshedAt` defaults to now. */
  setValue(
    variableId: string,
    target: VariableTarget,
    value: unknown,
    options?: { refreshedAt?: Date },
  ): Promise<VariableValue>;
  /** Removes the variable's value for one target (idempotent). */
  clearValue(variableId: string, target: VariableTarget): Promise<void>;
  /** Every stored value of the variable. */
  listValues(variableId: string): Promise<VariableValue[]>;
  /**
   * The most specific value for a conversation: session, then customer, then the customer's
   * tags (in the order given), then agent; `null` when only the default applies.
   */
  resolveValue(
    variableId: string,
    context: VariableResolutionContext,
  ): Promise<VariableValue | null>;
  /** {@link resolveValue} for every live variable of the agent at once, by variable id. */
  resolveValues(
    agentId: string,
    context: VariableResolutionContext,
  ): Promise<Map<string, VariableValue | null>>;
}

/** Glossary terms of an agent. */
export interface TermRepository
  extends RecordRepository<Term, TermInput, TermPatch, TermListFilter> {}

/** Canned responses of an agent. */
export interface CannedResponseRepository
  extends RecordRepository<
    CannedResponse,
    CannedResponseInput,
    CannedResponsePatch,
    CannedResponseListFilter
  > {}

/** Customers of the workspace. */
export interface CustomerRepository
  extends RecordRepository<Customer, CustomerInput, CustomerPatch, CustomerListFilter> {
  /** The live customer with this external id, or `null`. */
  findByExternalId(externalId: string): Promise<Customer | null>;
}

/** Publishable keys of agents. */
export interface AgentKeyRepository
  extends Omit<
    RecordRepository<AgentKey, AgentKeyInput, AgentKeyPatch, AgentKeyListFilter>,
    'create'
  > {
  /** Issues a new key; the returned secret is never stored and cannot be read again. */
  issue(input: AgentKeyInput): Promise<IssuedAgentKey>;
  /** Revokes a key: it stays listed but no longer authenticates. */
  revoke(id: string): Promise<AgentKey>;
  /** Records that the key was just used. */
  touch(id: string): Promise<void>;
}

/** Secret keys of agents (`sk_…`): what a host's backend authenticates with, server to server. */
export interface AgentApiKeyRepository
  extends Omit<
    RecordRepository<AgentApiKey, AgentApiKeyInput, AgentApiKeyPatch, AgentApiKeyListFilter>,
    'create'
  > {
  /** Issues a new key; the returned secret is never stored and cannot be read again. */
  issue(
    input: AgentApiKeyInput,
    options?: { createdBy?: string | null },
  ): Promise<IssuedAgentApiKey>;
  /** Revokes a key: it stays listed but no longer authenticates. */
  revoke(id: string): Promise<AgentApiKey>;
  /** Records that the key was just used (written at most once a minute per key). */
  touch(id: string): Promise<void>;
}

/**
 * Links between agents and the host's workflows (`agent_workflow`): as tools, on session
 * events, or both. A change bumps the agent's catalog revision.
 */
export interface AgentWorkflowRepository
  extends RecordRepository<
    AgentWorkflow,
    AgentWorkflowInput,
    AgentWorkflowPatch,
    AgentWorkflowListFilter
  > {}

/** The record of the workflows run for sessions (`session_workflow`). */
export interface SessionWorkflowRepository {
  /** Records a run that starts now (status `running`); `not_found` for an unknown session. */
  start(input: SessionWorkflowInput): Promise<SessionWorkflow>;
  /** Records how a run ended. */
  finish(id: string, outcome: SessionWorkflowOutcome): Promise<SessionWorkflow>;
  /** The run with this id; throws `not_found` otherwise. */
  get(id: string): Promise<SessionWorkflow>;
  /** A session's runs, oldest first, a page at a time. */
  list(options: PageRequest & { sessionId: string }): Promise<Page<SessionWorkflow>>;
}

/** Sessions of the workspace. */
export interface SessionRepository
  extends RecordRepository<Session, SessionInput, SessionPatch, SessionListFilter> {
  /** Records what the engine carries to the next turn. Written by the engine only. */
  setTurnState(id: string, state: SessionTurnState): Promise<Session>;
  /**
   * Takes the session's turn lock, waiting while another holder has it, and resolves with
   * its release. The lock spans every process on the database (a PostgreSQL advisory lock;
   * in-process for PGlite, which one process owns), so two engines never run two turns of
   * one session at once. It reads nothing: check the session under the lock (see
   * {@link readTurnSnapshot}).
   */
  lockTurn(id: string): Promise<() => Promise<void>>;
  /**
   * Takes the session's turn lock only if nobody holds it, anywhere; `null` when a turn has
   * it. What finds turns abandoned by a process that died: their lock went with it.
   */
  tryLockTurn(id: string): Promise<(() => Promise<void>) | null>;
  /**
   * What a turn reads first, in one round trip: the session, its agent's catalog revision
   * (as {@link AgentRepository.catalogRevision} gives it) and the newest `historyLimit`
   * message and tool events, oldest first.
   */
  readTurnSnapshot(id: string, options: { historyLimit: number }): Promise<TurnSnapshot>;
}

/** See {@link SessionRepository.readTurnSnapshot}. */
export interface TurnSnapshot {
  session: Session;
  catalogRevision: string;
  history: ParleyEvent[];
}

/** Options of {@link EventRepository.append}. */
export interface AppendOptions {
  /** Also records the session's turn state, atomically with the events (the engine's last write of a turn). */
  turnState?: SessionTurnState;
  /**
   * Also adds these labels to the session, atomically with the events: those it has stay
   * first, the new ones follow, each once, up to `maximumSessionLabels` in all (the rest are
   * dropped). The engine's last write of a turn carries the labels of what applied.
   */
  addLabels?: readonly string[];
}

/** The append-only event logs of the workspace's sessions. */
export interface EventRepository {
  /**
   * Appends events to a session's log in one atomic step. Offsets are assigned inside the
   * statement, gapless from 0 and unique per session, even under concurrent appends from
   * several processes. A message whose `clientMessageId` the session already holds is a
   * `conflict` (nothing is appended); throws `not_found` for an unknown session.
   */
  append(
    sessionId: string,
    events: readonly EventInput[],
    options?: AppendOptions,
  ): Promise<ParleyEvent[]>;
  /** Events of a session after an offset, in offset order (a resume point for streams). */
  list(sessionId: string, options?: EventListOptions): Promise<ParleyEvent[]>;
  /** The newest events of a session (up to `limit`, default 50), oldest first: a turn's history. */
  listLatest(
    sessionId: string,
    options?: { kinds?: EventListOptions['kinds']; limit?: number },
  ): Promise<ParleyEvent[]>;
  /** The event with this id; throws `not_found` otherwise. */
  get(eventId: string): Promise<ParleyEvent>;
  /** The message a client sent under this id, or `null`: what makes sends idempotent. */
  findByClientMessageId(sessionId: string, clientMessageId: string): Promise<ParleyEvent | null>;
  /** Message events whose text matches a full-text query, newest first. */
  search(options: EventSearchOptions): Promise<ParleyEvent[]>;
  /**
   * Retention: deletes the workspace's events created before `before` and returns how many
   * went. Offsets of the remaining events do not change.
   */
  deleteCreatedBefore(before: Date): Promise<number>;
}

/** Everything stored for one workspace. Obtain it with {@link Store.forWorkspace}. */
export interface WorkspaceStore {
  readonly workspaceId: string;
  readonly agents: AgentRepository;
  readonly guidelines: GuidelineRepository;
  readonly relationships: RelationshipRepository;
  readonly journeys: JourneyRepository;
  readonly tools: ToolRepository;
  readonly variables: VariableRepository;
  readonly terms: TermRepository;
  readonly cannedResponses: CannedResponseRepository;
  readonly customers: CustomerRepository;
  readonly agentKeys: AgentKeyRepository;
  readonly agentApiKeys: AgentApiKeyRepository;
  readonly agentWorkflows: AgentWorkflowRepository;
  readonly sessions: SessionRepository;
  readonly sessionWorkflows: SessionWorkflowRepository;
  readonly events: EventRepository;
  /** Counts the workspace's agents, sessions and messages (for health and dashboards). */
  countUsage(): Promise<WorkspaceUsage>;
}

/** What a workspace holds, counted for the health and dashboard routes. */
export interface WorkspaceUsage {
  /** Live agents; `active` those with at least one active session. */
  agents: { total: number; active: number };
  /** Live sessions; `active` those not closed. */
  sessions: { total: number; active: number };
  /** Message events, by who wrote them (`agent`: the AI agent and human operators). */
  messages: { total: number; customer: number; agent: number };
}

/** What the database health shows of the server; see {@link Store.describeDatabase}. */
export interface DatabaseDescription {
  /** `select version()`, e.g. `PostgreSQL 15.8 on x86_64-pc-linux-gnu…`. */
  version: string;
  /** Connections to this database (`pg_stat_activity`), and those running a statement now. */
  connections: { total: number; active: number };
}

/**
 * Parley's persistence port. Every read and write goes through {@link Store.forWorkspace},
 * so no query can forget its workspace; the exceptions, {@link Store.findAgentKeyByHash} and
 * {@link Store.findAgentApiKeyByHash}, say so in their names. PGlite and node-postgres implement it on one drizzle schema.
 */
export interface Store {
  /** The records of one workspace. Cheap: call it per request. */
  forWorkspace(workspaceId: string): WorkspaceStore;
  /**
   * Runs `work` in one database transaction: everything it writes through the given store
   * commits together or not at all.
   */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /**
   * Looks a publishable key up by its hash across all workspaces: the entry point of a
   * customer's request, before any workspace is known. Returns live keys, revoked or not.
   */
  findAgentKeyByHash(keyHash: string): Promise<AgentKey | null>;
  /**
   * Looks a secret key up by its hash across all workspaces: the entry point of a host
   * backend's request. Returns live keys, revoked or expired or not: the caller decides.
   */
  findAgentApiKeyByHash(keyHash: string): Promise<AgentApiKey | null>;
  /** Deletes everything of a workspace (what the host's workspace cascade does in standalone mode). */
  purgeWorkspace(workspaceId: string): Promise<void>;
  /** Round-trips to the database; resolves with the latency in milliseconds. */
  ping(): Promise<number>;
  /** The server's version and this database's connections. */
  describeDatabase(): Promise<DatabaseDescription>;
  /** Releases what the store opened (a pool, an embedded database); not what it was given. */
  close(): Promise<void>;
}
