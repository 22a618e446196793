import type { ChatError } from './chat-state';
import { TransportError } from './chat-transport';
import { chatUnavailableMessage, configurationErrorOf } from './configuration-error';

/**
 * What a failure looks like to the chat: a configuration error (the page's origin refused, the
 * key unknown or revoked, the endpoint blocked by the page's CSP) under its own code, never
 * retryable, with words for the visitor (what the owner must fix goes to the console); any
 * other transport error keeps its code, message and whether trying again may help; anything
 * else (a bug, a transport that threw something unexpected) is an `internal` error worth one
 * more try.
 */
export function toChatError(error: unknown): ChatError {
  const configuration = configurationErrorOf(error);
  if (configuration) {
    return { code: configuration, message: chatUnavailableMessage, retryable: false };
  }
  if (error instanceof TransportError) {
    return { code: error.code, message: error.message, retryable: error.retryable };
  }
  return {
    code: 'internal',
    message: 'Something went wrong. Please try again.',
    retryable: true,
  };
}
