import type { WorkspaceEngine } from '../../engine/create-engine';
import { toParleyError } from '../../errors/parley-error';
import type { ChatModel } from '../../ports/chat-model';
import { driveTurn } from './drive-turn';
import type { SimulatedCustomerScenario } from './evaluation-scenario';
import { judgeCriterion, type TranscriptLine } from './judge-criterion';
import { writeCustomerMessage } from './write-customer-message';

/** One success criterion of a simulated conversation, as the judge found it. */
export interface JudgedCriterion {
  criterion: string;
  passed: boolean;
  /** The judge's reason, or why it could not judge. */
  reason: string;
}

/** One simulated-customer conversation, as it went in one run. */
export interface EvaluatedSimulation {
  scenario: string;
  /** The simulated customer's goal, as the suite wrote it. */
  goal: string;
  /** Every message of the conversation, oldest first. */
  transcript: TranscriptLine[];
  /**
   * `done`: the customer said so; `max_turns`: `maxTurns` messages were sent first; `error`:
   * a turn failed or the customer model did (see `failures`), and no criterion was judged.
   */
  ended: 'done' | 'max_turns' | 'error';
  /** Each success criterion with the judge's verdict; empty when the conversation ended in error. */
  criteria: JudgedCriterion[];
  passed: boolean;
  /** One readable sentence per failed criterion or failure, each starting with what it is about. */
  failures: string[];
  /** Which run of the suite (1 to `runs`). */
  run: number;
  /** The session the conversation ran in. */
  sessionId: string;
}

/** What {@link runSimulatedCustomer} needs: a session already created for the scenario. */
export interface RunSimulatedCustomerInput {
  workspace: WorkspaceEngine;
  sessionId: string;
  scenario: SimulatedCustomerScenario;
  customerModel: ChatModel;
  judgeModel: ChatModel;
  run: number;
}

/**
 * Plays one simulated-customer scenario: the customer model writes a message from the
 * transcript, the engine answers it as a real turn, until the customer is done or has sent
 * `maxTurns` messages; then the judge model checks each success criterion against the
 * whole transcript. A turn that does not end `ready`, or a failing customer model, ends the
 * conversation as a failure. Not part of the public entry: `runEvaluation` calls it.
 */
export async function runSimulatedCustomer(
  input: RunSimulatedCustomerInput,
): Promise<EvaluatedSimulation> {
  const { scenario, workspace } = input;
  const { simulatedCustomer } = scenario;
  const transcript: TranscriptLine[] = [];
  const failures: string[] = [];
  let ended: EvaluatedSimulation['ended'] = 'max_turns';

  for (let sent = 0; sent < simulatedCustomer.maxTurns; sent += 1) {
    let move: Awaited<ReturnType<typeof writeCustomerMessage>>;
    try {
      move = await writeCustomerMessage(input.customerModel, {
        customer: simulatedCustomer,
        transcript,
      });
    } catch (error) {
      failures.push(`customer: the customer model failed (${describeError(error)})`);
      ended = 'error';
      break;
    }
    if (move.done) {
      ended = 'done';
      break;
    }
    if (move.message.length === 0) {
      failures.push(
        'customer: the customer model wrote an empty message without saying it was done',
      );
      ended = 'error';
      break;
    }
    transcript.push({ speaker: 'customer', text: move.message });
    const observed = await driveTurn(workspace, input.sessionId, move.message);
    if (observed.reply) transcript.push({ speaker: 'agent', text: observed.reply });
    if (observed.status !== 'ready') {
      failures.push(`turn ${sent + 1}: ${observed.problem ?? 'the turn did not end ready'}`);
      ended = 'error';
      break;
    }
  }

  const criteria: JudgedCriterion[] = [];
  if (ended !== 'error') {
    for (const criterion of simulatedCustomer.successCriteria) {
      try {
        const judgement = await judgeCriterion(input.judgeModel, {
          transcript,
          criterion,
          subject: 'conversation',
        });
        criteria.push({ criterion, ...judgement });
        if (!judgement.passed) {
          failures.push(`criterion: "${criterion}" not met: ${judgement.reason}`);
        }
      } catch (error) {
        const reason = `the judge model failed (${describeError(error)})`;
        criteria.push({ criterion, passed: false, reason });
        failures.push(`criterion: "${criterion}" could not be judged: ${reason}`);
      }
    }
  }

  return {
    scenario: scenario.name,
    goal: simulatedCustomer.goal,
    transcript,
    ended,
    criteria,
    passed: failures.length === 0,
    failures,
    run: input.run,
    sessionId: input.sessionId,
  };
}

/** `model_failed: Model … did not answer in time`, for a failure line. */
export function describeError(error: unknown): string {
  const normalized = toParleyError(error);
  return `${normalized.code}: ${normalized.message}`;
}
