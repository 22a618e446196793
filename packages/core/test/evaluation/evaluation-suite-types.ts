// The suites' shape is the evaluation kit's own (`@parley/core/testing`).
export type {
  EvaluationScenario,
  EvaluationSuite,
  EvaluationTurn,
  TurnExpectation,
} from '../../src/testing/evaluation/evaluation-scenario';
