import type { Moderator } from '../ports/moderator';
import {
  endpointHost,
  type OpenAIConnectionOptions,
  openAIClientOf,
  perRequestOptionsOf,
} from './openai-connection';
import { toModelError } from './to-model-error';

/** Options of {@link createOpenAIModerator}. */
export interface OpenAIModeratorOptions extends OpenAIConnectionOptions {
  /** The moderation model; default `omni-moderation-latest`. */
  model?: string;
  /**
   * Only these categories (OpenAI's names, e.g. `harassment/threatening`) flag a message;
   * default: whatever the endpoint flags. Every category it reports is still listed.
   */
  flagCategories?: readonly string[];
}

/**
 * A {@link Moderator} on the `openai` client's moderations endpoint (`moderations.create`).
 * `categories` are those the endpoint marks true, in its order; it reports no spans, so
 * `censoredText` is the message itself (pair it with the rule-based moderator to censor).
 * `id` is `<host>:<model>`. Failures reject with the `model_failed` ParleyErrors of
 * `createOpenAIChatModel` (see `OpenAIFailureReason`); the engine logs them and answers
 * unmoderated.
 */
export function createOpenAIModerator(options: OpenAIModeratorOptions = {}): Moderator {
  const model = options.model ?? 'omni-moderation-latest';
  const client = openAIClientOf(options);
  const id = `${endpointHost(client.baseURL)}:${model}`;
  const perRequest = perRequestOptionsOf(options);
  const flagCategories = options.flagCategories ? new Set(options.flagCategories) : null;
  return {
    id,
    async moderate({ text, signal }) {
      let response: Awaited<ReturnType<typeof client.moderations.create>>;
      try {
        response = await client.moderations.create(
          { model, input: text },
          { ...perRequest, signal },
        );
      } catch (error) {
        throw toModelError(error, { modelId: id, signal, secrets: [client.apiKey] });
      }
      const categories = new Set<string>();
      let flagged = false;
      for (const result of response.results ?? []) {
        const found = Object.entries(result.categories ?? {})
          .filter(([, value]) => value === true)
          .map(([name]) => name);
        for (const name of found) categories.add(name);
        flagged ||= flagCategories
          ? found.some((name) => flagCategories.has(name))
          : result.flagged === true;
      }
      return { flagged, categories: [...categories], censoredText: text };
    },
  };
}
