'use client';

import {
  type ChatClient,
  createChatClient,
  createHttpTransport,
  ParleyLauncher,
} from '@parley/widget';
import { useEffect, useState } from 'react';

/**
 * The workspace's support chat: Parley's launcher (a bubble that opens the chat), talking to
 * `app/api/parley/[...path]/route.ts` with the workspace's publishable key. The client is made
 * in the browser, once per key, and disposed of with the component.
 */
export function SupportChat({ agentKey }: { agentKey: string }) {
  const [client, setClient] = useState<ChatClient | null>(null);
  useEffect(() => {
    const transport = createHttpTransport({ endpoint: '/api/parley' });
    const created = createChatClient({ transport, session: { agentKey } });
    setClient(created);
    return () => created.dispose();
  }, [agentKey]);
  return client ? <ParleyLauncher client={client} /> : null;
}
