/**
 * @module @parley/core/openai — the `ChatModel`, `Embedder` and `Moderator` on the `openai`
 * client, for OpenAI and any OpenAI-compatible endpoint (Azure-compatible proxies, Ollama,
 * vLLM, LM Studio). `openai` is an optional peer dependency: install it to use this entry.
 */
export { createOpenAIChatModel, type OpenAIChatModelOptions } from './create-openai-chat-model';
export { createOpenAIEmbedder, type OpenAIEmbedderOptions } from './create-openai-embedder';
export { createOpenAIModerator, type OpenAIModeratorOptions } from './create-openai-moderator';
export type { OpenAIConnectionOptions } from './openai-connection';
export type { OpenAIFailureReason } from './to-model-error';
