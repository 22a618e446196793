import type { ChatClient, ChatTimers } from '../packages/widget/src/client/chat-client';
import { createChatClient } from '../packages/widget/src/client/create-chat-client';
import {
  createScriptedTransport,
  type ScriptedTransport,
  type ScriptedTransportOptions,
} from '../packages/widget/src/client/create-scripted-transport';

/**
 * What a story's chat plays: the scripted transport's options (the agent, the history, the
 * replies, the pace) and the client's suggested replies. A story puts it in its `chat`
 * parameter; the preview's loader builds the chat from it before the story renders.
 */
export interface StoryChatScript extends Partial<ScriptedTransportOptions> {
  suggestedReplies?: string[];
}

/** The real chat client of a story, and the scripted transport it talks to. */
export interface StoryChat {
  client: ChatClient;
  transport: ScriptedTransport;
}

/**
 * The real `createChatClient` over `createScriptedTransport`: no server, no fake client, no
 * state built by hand. Ids are counters and nothing is kept in storage, so a story looks the
 * same on every load.
 */
export function createStoryChat(script: StoryChatScript = {}): StoryChat {
  const { suggestedReplies, ...transportOptions } = script;
  const transport = createScriptedTransport({
    agent: { name: 'Ada', description: 'Answers questions about your orders' },
    replies: ['Hello! How can I help?'],
    paceMs: 40,
    stepMs: 150,
    ...transportOptions,
  });
  let id = 0;
  const client = createChatClient({
    transport,
    session: { agentKey: 'pk_storybook' },
    storage: null,
    network: transport.network,
    createId: () => `story-message-${++id}`,
    reconnect: { initialDelayMs: 200, maxDelayMs: 2_000 },
    suggestedReplies,
  });
  return { client, transport };
}

/** The chat the preview's loader made for this story (its `chat` parameter). */
export function storyChat(context: { loaded: Record<string, unknown> }): StoryChat {
  const chat = context.loaded.chat as StoryChat | null | undefined;
  if (!chat) throw new Error('This story has no `chat` parameter: give it a StoryChatScript.');
  return chat;
}

/**
 * Timers for a stream as fast as the page can take it: a zero delay runs in the next task
 * (a `MessageChannel` message, which browsers do not clamp to 4 ms as they do nested
 * `setTimeout`s); other delays use `setTimeout`.
 */
export const immediateTimers: ChatTimers = {
  setTimeout(callback, delayMs) {
    if (delayMs > 0) return { timeout: globalThis.setTimeout(callback, delayMs) };
    const channel = new MessageChannel();
    const handle = { cancelled: false };
    channel.port1.onmessage = () => {
      channel.port1.close();
      if (!handle.cancelled) callback();
    };
    channel.port2.postMessage(null);
    return handle;
  },
  clearTimeout(handle) {
    if (!handle || typeof handle !== 'object') return;
    if ('timeout' in handle) globalThis.clearTimeout(handle.timeout as number);
    else (handle as { cancelled: boolean }).cancelled = true;
  },
};
