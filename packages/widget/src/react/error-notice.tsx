import { memo } from 'react';
import type { ChatError } from '../client/chat-state';
import { useParleyContext } from './parley-context';

/** Properties of {@link ErrorNotice}. */
export interface ErrorNoticeProps {
  /** The reply that failed (the turn ended in `error`), if it did. */
  turnError: ChatError | null;
  /** A failure outside any message: the session could not be opened, the token was refused… */
  chatError: ChatError | null;
}

/**
 * What went wrong, in words a customer can read, with a retry button when retrying can help:
 * a failed reply is run again (`retry()`), a chat that could not start is started again.
 */
export const ErrorNotice = memo(function ErrorNotice({ turnError, chatError }: ErrorNoticeProps) {
  const { client, actions, strings } = useParleyContext();
  const describe = (error: ChatError) => strings.errors[error.code] ?? error.message;
  return (
    <>
      {chatError && (
        <div className="parley-notice" data-error-code={chatError.code}>
          <p className="parley-notice-text">{describe(chatError)}</p>
          {chatError.retryable && (
            <button
              type="button"
              className="parley-button"
              onClick={() => void client.start().catch(() => {})}
            >
              {strings.retry}
            </button>
          )}
        </div>
      )}
      {turnError && (
        <div className="parley-notice" data-error-code={turnError.code}>
          <p className="parley-notice-text">
            {strings.replyFailed} {describe(turnError)}
          </p>
          {turnError.retryable && (
            <button type="button" className="parley-button" onClick={() => actions.retry()}>
              {strings.retry}
            </button>
          )}
        </div>
      )}
    </>
  );
});
