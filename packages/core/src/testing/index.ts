/**
 * @module @parley/core/testing — what Parley's own tests use, shipped for yours: contract
 * suites that any `Store` or `EventBus` implementation must pass, a controllable clock, a
 * scripted model, a fake OpenAI server, throwaway PostgreSQL schemas and databases, a PgBouncer
 * in transaction mode, a seeded random source, and the evaluation kit (suites of scenarios
 * as data, `runEvaluation` with judge expectations, simulated customers and pass^k, cassettes
 * for real-model calls, report tables and JUnit XML; the `parley-evaluate` command runs it).
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
  type Cassette,
  type CassetteExchange,
  type CassetteFetch,
  type CassetteFetchOptions,
  type CassetteMode,
  cassetteSchema,
  createCassetteFetch,
  type FetchFunction,
} from './evaluation/create-cassette-fetch';
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
  type SimulatedCustomer,
  type SimulatedCustomerScenario,
  simulatedCustomerScenarioSchema,
  type TurnExpectation,
  turnExpectationSchema,
} from './evaluation/evaluation-scenario';
export {
  type FormatEvaluationReportOptions,
  formatEvaluationReport,
} from './evaluation/format-evaluation-report';
export { type FormatJUnitReportOptions, formatJUnitReport } from './evaluation/format-junit-report';
export {
  type JudgeCriterionInput,
  type Judgement,
  judgeCriterion,
  judgementSchema,
  type TranscriptLine,
} from './evaluation/judge-criterion';
export {
  type EvaluatedTurn,
  type EvaluationReport,
  type RunEvaluationOptions,
  runEvaluation,
} from './evaluation/run-evaluation';
export type { EvaluatedSimulation, JudgedCriterion } from './evaluation/run-simulated-customer';
export {
  type CustomerMove,
  customerMoveSchema,
  type WriteCustomerMessageInput,
  writeCustomerMessage,
} from './evaluation/write-customer-message';
export { describeEventBusContract, type EventBusContractFactory } from './event-bus-contract-suite';
export { findFreePort } from './find-free-port';
export {
  describeModeratorContract,
  type ModeratorContractFactory,
} from './moderator-contract-suite';
export {
  type ControlledRequest,
  type FakeOpenAIControlServer,
  purposeOfRequest,
  startFakeOpenAIControlServer,
} from './start-fake-openai-control-server';
export {
  type FakeFailure,
  type FakeModeration,
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
