import { useEffect, useState } from 'react';
import type { ChatState } from '../client/chat-state';
import { createAnnouncementTracker } from './announcement-tracker';
import { useParleyContext } from './parley-context';

/**
 * A visually hidden polite live region: it speaks a reply once it is complete and each change
 * of status, never the tokens of a reply as they stream. Each announcement is a new node, so
 * saying the same words twice ("Message received" for two turns) is heard twice.
 */
export function LiveRegion({ state, agentName }: { state: ChatState; agentName: string }) {
  const { strings } = useParleyContext();
  const [tracker] = useState(createAnnouncementTracker);
  const [announcement, setAnnouncement] = useState({ text: '', count: 0 });

  useEffect(() => {
    const text = tracker.next(state, agentName, strings);
    if (text) setAnnouncement((previous) => ({ text, count: previous.count + 1 }));
  }, [tracker, state, agentName, strings]);

  return (
    <div className="parley-visually-hidden" aria-live="polite" aria-atomic="true">
      <span key={announcement.count}>{announcement.text}</span>
    </div>
  );
}
