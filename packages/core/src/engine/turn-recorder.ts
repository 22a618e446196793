import type { EventInput, ParleyEvent, StatusEventData } from '../domain/event';
import type { EventBus } from '../ports/event-bus';
import type { AppendOptions, WorkspaceStore } from '../ports/store';

/** Writes a turn's events under its trace, and tells every process serving the session. */
export interface TurnRecorder {
  readonly traceId: string;
  /**
   * Appends events (one atomic append) after every earlier one of this turn, and announces
   * them on the bus.
   */
  append(
    events: ReadonlyArray<Omit<EventInput, 'traceId'>>,
    options?: AppendOptions,
  ): Promise<ParleyEvent[]>;
  /** Appends a `status` event. */
  status(data: StatusEventData): Promise<ParleyEvent[]>;
  /**
   * Queues a `status` event without waiting for it: the turn goes on while it is written,
   * and the next {@link append} waits for it, so events keep their order. A failure surfaces
   * at that next append.
   */
  statusInBackground(data: StatusEventData): void;
  /** Sends a piece of the reply being written (never stored). */
  delta(messageId: string, text: string): Promise<void>;
}

/** Creates the recorder of one turn. */
export function createTurnRecorder(options: {
  workspace: WorkspaceStore;
  bus: EventBus;
  sessionId: string;
  traceId: string;
}): TurnRecorder {
  const { workspace, bus, sessionId, traceId } = options;
  let seq = 0;
  // Appends of one turn run one after another, in the order they were asked for. A failed
  // append is reported to its own caller only: the next one still runs (the turn must be able
  // to record that it failed), unless it was a background status nobody awaited.
  let tail: Promise<unknown> = Promise.resolve();
  let backgroundFailure: { error: unknown } | null = null;

  const write = async (
    events: ReadonlyArray<Omit<EventInput, 'traceId'>>,
    appendOptions?: AppendOptions,
  ) => {
    const appended = await workspace.events.append(
      sessionId,
      events.map((event) => ({ ...event, traceId }) as EventInput),
      appendOptions,
    );
    const lastOffset = appended.at(-1)?.offset;
    if (lastOffset !== undefined) {
      await bus.publish({
        type: 'events-appended',
        workspaceId: workspace.workspaceId,
        sessionId,
        lastOffset,
      });
    }
    return appended;
  };

  const recorder: TurnRecorder = {
    traceId,
    append(events, appendOptions) {
      const result = tail.then(() => {
        const failure = backgroundFailure;
        backgroundFailure = null;
        if (failure) throw failure.error;
        return write(events, appendOptions);
      });
      tail = result.catch(() => undefined);
      return result;
    },
    status(data) {
      return recorder.append([{ kind: 'status', source: 'ai_agent', data }]);
    },
    statusInBackground(data) {
      // Nobody awaits this one: its failure is kept, before the next append starts, for that
      // append to report.
      tail = recorder.status(data).catch((error: unknown) => {
        backgroundFailure ??= { error };
      });
    },
    async delta(messageId, text) {
      await bus.publish({
        type: 'message-delta',
        workspaceId: workspace.workspaceId,
        sessionId,
        traceId,
        messageId,
        seq: seq++,
        text,
      });
    },
  };
  return recorder;
}
