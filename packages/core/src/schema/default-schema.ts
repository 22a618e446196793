import { createParleySchema } from './create-parley-schema';

/**
 * The default standalone tables (`parley_` prefix, plain-text workspace and user ids).
 * The shipped migrations are generated from exactly these.
 */
export const parleySchema = createParleySchema();

export const {
  agent,
  guideline,
  guidelineRelationship,
  tool,
  agentTool,
  agentKnowledgeBase,
  guidelineTool,
  journey,
  journeyState,
  journeyTransition,
  journeyGuideline,
  customer,
  session,
  variable,
  variableValue,
  term,
  cannedResponse,
  agentKey,
  agentApiKey,
  agentWorkflow,
  sessionWorkflow,
  event,
} = parleySchema;
