import { type KeyboardEvent, memo, useId, useState } from 'react';
import { useParleyContext } from './parley-context';
import { StopButton } from './stop-button';

/** Properties of {@link Composer}. */
export interface ComposerProps {
  /** No message can be sent (offline): the text area and the send button are disabled. */
  disabled: boolean;
  /** A reply is in progress: the stop button shows. */
  replying: boolean;
}

/**
 * Where the customer writes: Enter sends, Shift+Enter starts a new line (and Enter while an
 * input method is composing a character does neither). The text is 16px so iOS does not zoom
 * into the page on focus. A draft survives going offline and back.
 */
export const Composer = memo(function Composer({ disabled, replying }: ComposerProps) {
  const { actions, strings } = useParleyContext();
  const [text, setText] = useState('');
  const inputId = useId();
  const canSend = !disabled && text.trim().length > 0;

  function submit() {
    if (!canSend) return;
    actions.send(text.trim());
    setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    submit();
  }

  return (
    <form
      className="parley-composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={inputId} className="parley-visually-hidden">
        {strings.composerLabel}
      </label>
      <textarea
        id={inputId}
        className="parley-input"
        rows={1}
        value={text}
        placeholder={strings.composerPlaceholder}
        disabled={disabled}
        enterKeyHint="send"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {replying && <StopButton />}
      <button type="submit" className="parley-button parley-button-primary" disabled={!canSend}>
        {strings.send}
      </button>
    </form>
  );
});
