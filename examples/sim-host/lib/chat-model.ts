/**
 * @module The host's chat model, when it has one: agents then judge guidelines, call tools and
 * write their replies with it (citing the knowledge base's passages); without one they answer
 * with their canned responses (strict canned mode).
 */
import type { ChatModel } from '@parley/core';
import { createOpenAIChatModel } from '@parley/core/openai';

/**
 * The model `PARLEY_CHAT_MODEL` names (`gpt-4o-mini`, or any name an OpenAI-compatible server
 * at `OPENAI_BASE_URL` knows), reached with `OPENAI_API_KEY`; `null` when it is not set.
 */
export const chatModel: ChatModel | null =
  process.env.PARLEY_CHAT_MODEL && (process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL)
    ? createOpenAIChatModel({ model: process.env.PARLEY_CHAT_MODEL })
    : null;
