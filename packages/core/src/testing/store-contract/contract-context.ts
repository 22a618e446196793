import type { Agent } from '../../domain/agent';
import type { EventBus } from '../../ports/event-bus';
import type { Store, WorkspaceStore } from '../../ports/store';
import type { TestClock } from '../test-clock';

/** What the store contract suite needs from an implementation under test. */
export interface StoreContractFactory {
  /** A ready (migrated) store whose timestamps come from `clock`. Called once per suite. */
  createStore(options: { clock: TestClock }): Promise<Store>;
  /**
   * A second store on the same database through its own connections (another pool), to
   * prove that concurrent appends from two processes stay gapless. Optional: without it
   * the concurrency cases use the first store twice.
   */
  createSecondStore?(options: { clock: TestClock }): Promise<Store>;
  /**
   * Two event buses that reach each other (e.g. LISTEN/NOTIFY on two pools). Optional:
   * without it the append-then-notify case is not registered.
   */
  createEventBuses?(): Promise<{ first: EventBus; second: EventBus }>;
}

/** The state shared by the contract's cases, filled in by the suite's `beforeAll`. */
export interface StoreContractContext {
  readonly clock: TestClock;
  store(): Store;
  secondStore(): Store;
  eventBuses(): { first: EventBus; second: EventBus } | null;
  /** A workspace no other case uses, so cases never see each other's rows. */
  freshWorkspace(): WorkspaceStore;
}

/** Creates an agent with a unique name in the workspace. */
export async function seedAgent(workspace: WorkspaceStore, name?: string): Promise<Agent> {
  return workspace.agents.create({
    name: name ?? `Agent ${globalThis.crypto.randomUUID().slice(0, 8)}`,
  });
}

/** Reads an error thrown by `work`, failing the test if nothing was thrown. */
export async function caught(
  work: () => Promise<unknown>,
): Promise<{ code?: string; message: string; details?: unknown }> {
  try {
    await work();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected the operation to fail, but it succeeded');
}
