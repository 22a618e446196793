import { createContext, useContext } from 'react';
import type { ChatClient } from '../client/chat-client';
import type { ParleyStrings } from './strings';
import type { ParleyChatActions } from './use-parley-chat';

/** What every part of a chat shares: the client, its actions and the strings. */
export interface ParleyContextValue {
  client: ChatClient;
  actions: ParleyChatActions;
  strings: ParleyStrings;
}

/** Provided by `<ParleyChat>` and `<ParleyLauncher>`; stable while its props are. */
export const ParleyContext = createContext<ParleyContextValue | null>(null);

/** The enclosing chat's client, actions and strings. */
export function useParleyContext(): ParleyContextValue {
  const value = useContext(ParleyContext);
  if (!value)
    throw new Error('A Parley component was rendered outside <ParleyChat> or <ParleyLauncher>.');
  return value;
}
