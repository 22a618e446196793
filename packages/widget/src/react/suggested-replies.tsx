import { memo } from 'react';
import { useParleyContext } from './parley-context';

/** Short answers offered as buttons until the customer's first message; a click sends one. */
export const SuggestedReplies = memo(function SuggestedReplies({
  replies,
  disabled,
}: {
  replies: string[];
  disabled: boolean;
}) {
  const { actions, strings } = useParleyContext();
  if (replies.length === 0) return null;
  return (
    <fieldset className="parley-suggestions">
      <legend className="parley-visually-hidden">{strings.suggestedReplies}</legend>
      {replies.map((reply) => (
        <button
          key={reply}
          type="button"
          className="parley-button parley-suggestion"
          disabled={disabled}
          onClick={() => actions.send(reply)}
        >
          {reply}
        </button>
      ))}
    </fieldset>
  );
});
