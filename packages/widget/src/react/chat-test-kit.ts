import { act } from '@testing-library/react';
import { vi } from 'vitest';
import type { ChatClient } from '../client/chat-client';
import type { ChatState } from '../client/chat-state';
import { createChatClient } from '../client/create-chat-client';
import {
  createScriptedTransport,
  type ScriptedTransport,
  type ScriptedTransportOptions,
} from '../client/create-scripted-transport';

/**
 * For the component tests: the real chat client over the scripted transport, on vitest's fake
 * timers (call `vi.useFakeTimers()` first), with counters for ids. Not part of the package's
 * entry.
 */
export function createTestChat(
  script: Partial<ScriptedTransportOptions> = {},
  clientOptions: { suggestedReplies?: string[]; logger?: { error(message: string): void } } = {},
): { transport: ScriptedTransport; client: ChatClient } {
  const transport = createScriptedTransport({
    agent: { name: 'Ada', description: 'Answers questions about orders' },
    replies: ['Hello! How can I help?'],
    paceMs: 10,
    stepMs: 20,
    ...script,
  });
  let id = 0;
  const client = createChatClient({
    transport,
    session: { agentKey: 'pk_test_key' },
    storage: null,
    network: transport.network,
    createId: () => `message-${++id}`,
    random: () => 0.5,
    reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
    suggestedReplies: clientOptions.suggestedReplies,
    ...(clientOptions.logger ? { logger: clientOptions.logger } : {}),
  });
  return { transport, client };
}

/** Runs the fake timers for `ms`, and the promises and React updates they release. */
export async function advance(ms: number): Promise<void> {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

/**
 * Runs the fake timers a few milliseconds at a time until `check` holds; fails after 10 s of
 * fake time. `check` may read the client's state or the DOM.
 */
export async function advanceUntil(
  check: (state: ChatState) => boolean,
  client: ChatClient,
  stepMs = 5,
): Promise<void> {
  for (let elapsed = 0; elapsed <= 10_000; elapsed += stepMs) {
    if (check(client.getState())) return;
    await advance(stepMs);
  }
  throw new Error(`Condition not reached in 10 s: ${check.toString()}`);
}
