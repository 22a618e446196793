import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { ChatPanel } from './chat-panel';
import { useParleyContext } from './parley-context';
import { ParleyFrame, type ParleyViewProps } from './parley-frame';
import { formatString } from './strings';
import { useChatSelector } from './use-chat-selector';

/** Properties of {@link ParleyLauncher}. */
export interface ParleyLauncherProps extends ParleyViewProps {
  /** Open at first (uncontrolled); default false. */
  defaultOpen?: boolean;
  /** Controls whether the panel is open; pair with `onOpenChange`. */
  open?: boolean;
  /** Called when the visitor opens or closes the panel. */
  onOpenChange?: (open: boolean) => void;
}

/**
 * A floating bubble at the page's inline-end corner that opens the chat in a panel (the whole
 * screen at widths of 480px and less). The bubble shows how many replies are unread; opening
 * marks them read and puts the focus in the composer; Escape, the panel's close button or the
 * bubble (named "Minimize chat" while the panel is open) closes the panel and gives the focus
 * back to the bubble. The chat is started at once, so replies count as unread while the panel
 * is closed.
 */
export function ParleyLauncher({
  defaultOpen = false,
  open,
  onOpenChange,
  ...props
}: ParleyLauncherProps) {
  const [openState, setOpenState] = useState(defaultOpen);
  const isOpen = open ?? openState;
  const setOpen = (next: boolean) => {
    if (open === undefined) setOpenState(next);
    onOpenChange?.(next);
  };
  return (
    <ParleyFrame
      {...props}
      rootClassName={isOpen ? 'parley-launcher parley-launcher-open' : 'parley-launcher'}
    >
      <LauncherBody open={isOpen} setOpen={setOpen} />
    </ParleyFrame>
  );
}

function LauncherBody({ open, setOpen }: { open: boolean; setOpen: (open: boolean) => void }) {
  const { client, actions, strings } = useParleyContext();
  const unread = useChatSelector(client, (state) => state.unread);
  const panelId = useId();
  const titleId = useId();
  const bubble = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  // While the panel is open every reply is seen as it arrives.
  useEffect(() => {
    if (open && unread > 0) actions.markRead();
  }, [open, unread, actions]);

  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLElement>('textarea')?.focus();
  }, [open]);

  function close() {
    setOpen(false);
    bubble.current?.focus();
  }

  function onPanelKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    close();
  }

  // The badge's own text is part of the bubble's name (WCAG 2.5.3, label in name): the same
  // number, and not in parentheses, which axe and some voice-control software leave out.
  const badgeText = unread > 99 ? '99+' : String(unread);
  const unreadWords = formatString(strings.unread, { count: badgeText });
  return (
    <>
      {open && (
        <div
          ref={panel}
          id={panelId}
          className="parley-panel"
          role="dialog"
          aria-labelledby={titleId}
          onKeyDown={onPanelKeyDown}
        >
          <div className="parley-chat">
            <ChatPanel
              titleId={titleId}
              headerEnd={
                <button
                  type="button"
                  className="parley-button parley-close"
                  aria-label={strings.closeChat}
                  onClick={close}
                >
                  <span aria-hidden="true">×</span>
                </button>
              }
            />
          </div>
        </div>
      )}
      <button
        ref={bubble}
        type="button"
        className="parley-bubble-button"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        // Open, it is not a second "Close chat" beside the panel's own close button.
        aria-label={
          open
            ? strings.minimizeChat
            : unread > 0
              ? `${strings.openChat}, ${unreadWords}`
              : strings.openChat
        }
        onClick={() => (open ? close() : setOpen(true))}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" />
        </svg>
        {!open && unread > 0 && (
          <span className="parley-badge" aria-hidden="true">
            {badgeText}
          </span>
        )}
      </button>
    </>
  );
}
