import { memo } from 'react';
import type { ChatError } from '../client/chat-state';
import { isConfigurationError } from '../client/configuration-error';
import { useParleyContext } from './parley-context';
import { describeError } from './strings';

/** Properties of {@link ErrorNotice}. */
export interface ErrorNoticeProps {
  /** The reply that failed (the turn ended in `error`), if it did. */
  turnError: ChatError | null;
  /** A failure outside any message: the session could not be opened, the token was refused… */
  chatError: ChatError | null;
}

/**
 * What went wrong, in words a customer can read, with a retry button when retrying can help:
 * a failed reply is run again (`retry()`), a chat that could not start is started again. A
 * chat that cannot work on the site (a configuration error) says so, with no button: the
 * visitor can do nothing about it (its owner reads why in the console).
 */
export const ErrorNotice = memo(function ErrorNotice({ turnError, chatError }: ErrorNoticeProps) {
  const { client, actions, strings } = useParleyContext();
  const describe = (error: ChatError) => describeError(error, strings);
  return (
    <>
      {chatError && (
        <div
          className={
            isConfigurationError(chatError)
              ? 'parley-notice parley-notice-unavailable'
              : 'parley-notice'
          }
          data-error-code={chatError.code}
        >
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
