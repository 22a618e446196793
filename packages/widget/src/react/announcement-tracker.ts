import type { ChatState } from '../client/chat-state';
import { statusWords } from './status-words';
import { describeError, formatString, type ParleyStrings } from './strings';

/** Decides what the live region says after each change of a chat's state. */
export interface AnnouncementTracker {
  /**
   * What to announce for this state, given the ones seen before, or `null` for nothing: a
   * reply once it is complete (never its tokens), a new status of the turn or connection, a
   * failed reply. History read at start is not announced.
   */
  next(state: ChatState, agentName: string, strings: ParleyStrings): string | null;
}

/** A tracker for one chat; it remembers which replies it has announced. */
export function createAnnouncementTracker(): AnnouncementTracker {
  const announced = new Set<string>();
  let historyRead = false;
  let previousWords: string | null = null;

  return {
    next(state, agentName, strings) {
      const parts: string[] = [];
      for (const item of state.items) {
        if (item.type !== 'message' || item.role === 'customer') continue;
        if (item.delivery !== 'sent' || announced.has(item.id)) continue;
        announced.add(item.id);
        if (!historyRead) continue;
        const author =
          item.role === 'human_agent' ? (item.participantName ?? agentName) : agentName;
        parts.push(formatString(strings.replyAnnouncement, { author, text: plainText(item.text) }));
      }

      const { turn } = state;
      // A chat that cannot work on the site never reads its history: said at once.
      const unavailable = state.connection === 'unavailable' && state.error !== null;
      const words = unavailable
        ? describeError(state.error as NonNullable<ChatState['error']>, strings)
        : turn.status === 'error' && turn.error
          ? `${strings.replyFailed} ${describeError(turn.error, strings)}`
          : statusWords(turn, state.connection, strings);
      // Said once when it changes; the start-up ("Connecting…") is not worth a word.
      if ((historyRead || unavailable) && words !== null && words !== previousWords) {
        parts.push(words);
      }
      previousWords = words;
      historyRead ||= state.historyLoaded;
      return parts.length > 0 ? parts.join(' ') : null;
    },
  };
}

/** Markdown's marks are noise when read aloud. */
function plainText(markdown: string): string {
  return markdown
    .replace(/^\s{0,3}(```|~~~).*$/gm, '')
    .replace(/[*_`~]{1,3}|^\s{0,3}(#{1,6}|>)\s*/gm, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
