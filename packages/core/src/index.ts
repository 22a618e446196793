/**
 * @module @parley/core — the engine's framework-free entry: the domain model (zod schemas
 * and types), the ports (`Store`, `EventBus`, `Clock`) and the one error family. Drivers
 * live behind their own entry points (`/pglite`, `/postgres`), so importing this one pulls
 * in no database driver, no HTTP framework and no React.
 */

export type { OperatorRole, Principal } from './auth/principal';
export {
  type AgentDefinition,
  type AgentDefinitionInput,
  type CannedResponseDefinition,
  type CannedResponseDefinitionInput,
  defineAgent,
  type GuidelineDefinition,
  type GuidelineDefinitionInput,
  type JourneyDefinition,
  type JourneyDefinitionInput,
  type JourneyStateDefinition,
  type JourneyStateDefinitionInput,
  type JourneyTransitionDefinition,
  type JourneyTransitionDefinitionInput,
  type RelationshipDefinition,
  type RelationshipDefinitionInput,
  type TermDefinition,
  type TermDefinitionInput,
  type VariableDefinition,
  type VariableDefinitionInput,
} from './definition/define-agent';
export {
  type AgentSyncChange,
  type AgentSyncEntity,
  type AgentSyncReport,
  syncAgent,
} from './definition/sync-agent';
export * from './domain/index';
export type { AgentPerformanceEntry } from './engine/agent-performance';
export { defaultPreambles, type PreambleReason } from './engine/choose-preamble';
export {
  type CustomerMessageInput,
  createEngine,
  customerMessageInputSchema,
  type Engine,
  type EngineOptions,
  type EngineSessions,
  type HumanMessageInput,
  humanMessageInputSchema,
  type PostedMessage,
  type WorkspaceEngine,
} from './engine/create-engine';
export { type EngineLogger, silentLogger } from './engine/engine-logger';
export type { MatchingSettings } from './engine/match-guidelines';
export { defaultFlaggedReply, type ModerationOptions } from './engine/moderate-message';
export { defaultPreambleDelayMs, type PreambleOptions } from './engine/preamble-stage';
export type { ToolProvisionOptions } from './engine/provided-tools';
export type {
  RetrievalOptions,
  RetrievedPassage,
  RetrieverOutcome,
} from './engine/retrieve-knowledge';
export type { TurnExplanation, TurnOutcome } from './engine/run-turn';
export {
  httpStatusOfErrorCode,
  ParleyError,
  type ParleyErrorCode,
  type ParleyErrorOptions,
  toParleyError,
  validationError,
} from './errors/parley-error';
export { createInMemoryEventBus } from './event-bus/in-memory-event-bus';
export {
  createRuleBasedModerator,
  type RuleBasedModeratorOptions,
} from './moderation/create-rule-based-moderator';
export { defaultModerationRules } from './moderation/default-moderation-rules';
export type { ModerationRule } from './moderation/moderation-rule';
export type * from './ports/chat-model';
export { type Clock, systemClock } from './ports/clock';
export type * from './ports/embedder';
export type {
  BusListener,
  BusMessage,
  BusResync,
  EventBus,
  EventBusConnection,
  Unsubscribe,
} from './ports/event-bus';
export type { ModerationRequest, ModerationVerdict, Moderator } from './ports/moderator';
export type * from './ports/retriever';
export type * from './ports/store';
export type * from './ports/tool-provider';
export type * from './ports/workflow-executor';
export { applyEventRetention, type EventRetentionPolicy } from './retention/apply-event-retention';
export {
  createOfflineEmbedder,
  type OfflineEmbedder,
  type OfflineEmbedderOptions,
} from './retrieval/offline-embedder';
export {
  createVectorIndex,
  type VectorIndex,
  type VectorIndexOptions,
} from './retrieval/vector-index';
export {
  type DatabaseCallStatistics,
  databaseCallStatistics,
  type SlowDatabaseCall,
  slowDatabaseCallMs,
} from './store/database-call-timings';
export { type JsonSchemaToolOptions, jsonSchemaTool } from './tools/json-schema-tool';
export { type RunToolOptions, runTool, type ToolRun } from './tools/run-tool';
export { type ToolContext, type ToolDefinition, type ToolOptions, tool } from './tools/tool';
export type { ToolHealthEntry } from './tools/tool-health';
export type { ToolRateLimit } from './tools/tool-rate-limiter';
