import type { ChatTurn, ConnectionState } from '../client/chat-state';
import type { ParleyStrings } from './strings';

/**
 * The chat's status in words, or `null` when there is nothing to say: the connection when it
 * is not open (it matters more), otherwise the turn in progress (received, thinking at a
 * stage, typing) or a stopped reply. An `unavailable` chat has no status: its error notice
 * says why, and nothing is reconnecting.
 */
export function statusWords(
  turn: Pick<ChatTurn, 'status' | 'stage'>,
  connection: ConnectionState,
  strings: ParleyStrings,
): string | null {
  if (connection === 'offline') return strings.connectionOffline;
  if (connection === 'reconnecting') return strings.connectionReconnecting;
  if (connection === 'connecting') return strings.connectionConnecting;
  if (connection === 'unavailable') return null;
  switch (turn.status) {
    case 'acknowledged':
      return strings.statusAcknowledged;
    case 'processing':
      return (turn.stage && strings.stages[turn.stage]) || strings.statusProcessing;
    case 'typing':
      return strings.statusTyping;
    case 'cancelled':
      return strings.statusCancelled;
    default:
      return null;
  }
}
