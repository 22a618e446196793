// Parley's tables in this app's drizzle schema, each a top-level export so that drizzle-kit
// generates (and pushes) them with the app's own tables. Parley's SQL routines are not in
// here: `migrate(db, { schema: parley })` of @parley/core/schema applies them.
// Written by @parley/core's `parley-schema` command; run it again after upgrading:
//   npx parley-schema --out db/parley-schema.ts --workspace ./schema#workspace --user ./schema#user --knowledge-base ./schema#knowledgeBase

import { createParleySchema } from '@parley/core/schema';
import { knowledgeBase, user, workspace } from './schema';

/**
 * All of Parley's tables, for Parley at run time: the store's `schema` option and
 * `migrate(db, { schema: parley })`.
 */
export const parley = createParleySchema({
  prefix: 'parley_',
  references: {
    workspace: () => workspace.id,
    user: () => user.id,
    knowledgeBase: () => knowledgeBase.id,
  },
});

export const {
  agent: parleyAgent,
  guideline: parleyGuideline,
  guidelineRelationship: parleyGuidelineRelationship,
  tool: parleyTool,
  agentTool: parleyAgentTool,
  agentKnowledgeBase: parleyAgentKnowledgeBase,
  guidelineTool: parleyGuidelineTool,
  journey: parleyJourney,
  journeyState: parleyJourneyState,
  journeyTransition: parleyJourneyTransition,
  journeyGuideline: parleyJourneyGuideline,
  customer: parleyCustomer,
  session: parleySession,
  variable: parleyVariable,
  variableValue: parleyVariableValue,
  term: parleyTerm,
  cannedResponse: parleyCannedResponse,
  agentKey: parleyAgentKey,
  agentApiKey: parleyAgentApiKey,
  agentWorkflow: parleyAgentWorkflow,
  sessionWorkflow: parleySessionWorkflow,
  event: parleyEvent,
} = parley;
