/**
 * @module @parley/core/testing — what Parley's own tests use, shipped for yours: contract
 * suites that any `Store` or `EventBus` implementation must pass, a controllable clock, a
 * scripted model, a fake OpenAI server, throwaway PostgreSQL schemas and databases, a PgBouncer
 * in transaction mode, and a seeded random source.
 * Imports `vitest` (an optional peer dependency); use it from test files only.
 */

export {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
} from './create-postgres-test-database';
export {
  createPostgresTestSchema,
  type PostgresTestSchema,
  testDatabaseUrl,
} from './create-postgres-test-schema';
export {
  createScriptedChatModel,
  type RecordedModelCall,
  type ScriptedChatModel,
  type ScriptedChatModelScript,
  type ScriptedObjectHandler,
  type ScriptedReplyOptions,
  type ScriptedTextHandler,
  type ScriptedTextReply,
} from './create-scripted-chat-model';
export { createSeededRandom, type RandomSource, randomInteger } from './create-seeded-random';
export {
  defaultScenarioInstant,
  type EvaluationScenario,
  type EvaluationSuite,
  type EvaluationTurn,
  evaluationScenarioSchema,
  evaluationSuiteSchema,
  evaluationTurnSchema,
  type ParseEvaluationSuiteOptions,
  parseEvaluationSuite,
  type TurnExpectation,
  turnExpectationSchema,
} from './evaluation/evaluation-scenario';
export {
  type FormatEvaluationReportOptions,
  formatEvaluationReport,
} from './evaluation/format-evaluation-report';
export {
  type EvaluatedTurn,
  type EvaluationReport,
  type RunEvaluationOptions,
  runEvaluation,
} from './evaluation/run-evaluation';
export { describeEventBusContract, type EventBusContractFactory } from './event-bus-contract-suite';
export { findFreePort } from './find-free-port';
export {
  type FakeFailure,
  type FakeOpenAIServer,
  type FakeOpenAIServerOptions,
  type FakeResponse,
  type FakeToolCall,
  type FakeUsage,
  type RecordedRequest,
  startFakeOpenAIServer,
} from './start-fake-openai-server';
export { type PgBouncer, type PgBouncerOptions, startPgBouncer } from './start-pgbouncer';
export type { StoreContractFactory } from './store-contract/contract-context';
export { describeStoreContract } from './store-contract/describe-store-contract';
export { createTestClock, type TestClock } from './test-clock';
