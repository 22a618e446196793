import { memo } from 'react';
import type { ChatMessage } from '../client/chat-state';
import { FeedbackButtons } from './feedback-buttons';
import { MessageSources } from './message-sources';
import { useParleyContext } from './parley-context';
import { SafeMarkdown } from './safe-markdown';
import { describeError } from './strings';

/** Properties of {@link MessageBubble}. */
export interface MessageBubbleProps {
  message: ChatMessage;
  /** The agent's name as its profile gives it. */
  agentName: string;
}

/**
 * One message of the timeline. The customer's own text is shown as written; agent and
 * operator replies as safe markdown, and under an agent's reply the sources it cites (the
 * client keeps sources on agent replies only). Memoized on the message object: the client
 * replaces only the message that changed, so while a reply streams, no other message
 * re-renders.
 */
export const MessageBubble = memo(function MessageBubble({
  message,
  agentName,
}: MessageBubbleProps) {
  const { actions, strings } = useParleyContext();
  const fromCustomer = message.role === 'customer';
  const streaming = message.delivery === 'streaming';
  const author = fromCustomer
    ? strings.customerAuthor
    : message.role === 'human_agent'
      ? (message.participantName ?? agentName)
      : agentName;
  const classes = [
    'parley-message',
    fromCustomer ? 'parley-message-customer' : 'parley-message-agent',
    `parley-message-${message.delivery}`,
    streaming ? 'parley-streaming' : '',
    message.preamble ? 'parley-message-preamble' : '',
  ];
  return (
    <div className={classes.join(' ').trim()} data-message-id={message.id} aria-busy={streaming}>
      {message.role === 'human_agent' ? (
        <span className="parley-author">{author}</span>
      ) : (
        <span className="parley-visually-hidden">{author}:</span>
      )}
      <div className="parley-bubble">
        {fromCustomer ? (
          message.text
        ) : (
          <SafeMarkdown text={message.text} streaming={streaming} codeLabel={strings.codeBlock} />
        )}
      </div>
      {message.sources.length > 0 && <MessageSources sources={message.sources} />}
      {message.delivery === 'sending' && (
        <span className="parley-delivery">{strings.messageSending}</span>
      )}
      {message.delivery === 'failed' && (
        <div className="parley-delivery-failed">
          <span>
            {strings.messageFailed}
            {message.error ? ` ${describeError(message.error, strings)}` : ''}
          </span>
          <button
            type="button"
            className="parley-button"
            aria-label={strings.retryMessage}
            onClick={() => actions.retry(message.id)}
          >
            {strings.retry}
          </button>
        </div>
      )}
      {!fromCustomer &&
        !message.preamble &&
        message.delivery === 'sent' &&
        message.eventId !== null && (
          <FeedbackButtons messageId={message.id} feedback={message.feedback} />
        )}
    </div>
  );
});
