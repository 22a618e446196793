import type { ChatError } from './chat-state';
import { TransportError } from './chat-transport';

/**
 * What a failure looks like to the chat: a transport's error keeps its code, message and
 * whether trying again may help; anything else (a bug, a transport that threw something
 * unexpected) is an `internal` error worth one more try.
 */
export function toChatError(error: unknown): ChatError {
  if (error instanceof TransportError) {
    return { code: error.code, message: error.message, retryable: error.retryable };
  }
  return {
    code: 'internal',
    message: 'Something went wrong. Please try again.',
    retryable: true,
  };
}
