import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import type { ChatClient } from '../client/chat-client';
import type { AgentProfile } from '../client/chat-transport';
import { useChatSelector } from './use-chat-selector';

/**
 * The agent's name and description, read once per session through react-query (cached, so
 * any number of components may ask); waits until the client has a session. Needs a
 * `QueryClientProvider` above it (`<ParleyChat>` and `<ParleyLauncher>` bring their own).
 */
export function useAgentProfile(client: ChatClient): UseQueryResult<AgentProfile> {
  const sessionId = useChatSelector(client, (state) => state.sessionId);
  return useQuery({
    queryKey: ['parley', 'agent-profile', sessionId],
    queryFn: () => client.loadAgentProfile(),
    enabled: sessionId !== null,
    // The agent's name does not change during a conversation.
    staleTime: Number.POSITIVE_INFINITY,
    retry: 1,
  });
}
