import { memo } from 'react';
import { useParleyContext } from './parley-context';

/** Properties of {@link FeedbackButtons}. */
export interface FeedbackButtonsProps {
  messageId: string;
  /** The rating already given, shown as the pressed button. */
  feedback: 'up' | 'down' | null;
}

const thumb =
  'M2 10h3v10H2zM7 20h9.2a2 2 0 0 0 2-1.6l1.6-7A2 2 0 0 0 17.8 9H13l.8-4a1.6 1.6 0 0 0-2.9-1.2L7 9.5z';

/** "Helpful" / "Not helpful" on an agent reply: toggle buttons, the given rating pressed. */
export const FeedbackButtons = memo(function FeedbackButtons({
  messageId,
  feedback,
}: FeedbackButtonsProps) {
  const { actions, strings } = useParleyContext();
  return (
    <fieldset className="parley-message-actions">
      <legend className="parley-visually-hidden">{strings.feedbackLabel}</legend>
      {(['up', 'down'] as const).map((rating) => (
        <button
          key={rating}
          type="button"
          className="parley-button parley-feedback"
          aria-pressed={feedback === rating}
          aria-label={rating === 'up' ? strings.feedbackUp : strings.feedbackDown}
          title={rating === 'up' ? strings.feedbackUp : strings.feedbackDown}
          onClick={() => actions.sendFeedback(messageId, rating)}
        >
          <svg
            viewBox="0 0 22 22"
            width="16"
            height="16"
            aria-hidden="true"
            style={rating === 'down' ? { transform: 'scaleY(-1)' } : undefined}
          >
            <path d={thumb} fill="currentColor" />
          </svg>
        </button>
      ))}
    </fieldset>
  );
});
