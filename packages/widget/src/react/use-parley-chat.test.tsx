// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatClient } from '../client/chat-client';
import { advanceUntil, createTestChat } from './chat-test-kit';
import { useAgentProfile } from './use-agent-profile';
import { useParleyChat } from './use-parley-chat';

/** The hooks a host builds its own chat UI with, over the real client and scripted transport. */

let client: ChatClient;

beforeEach(() => {
  vi.useFakeTimers();
  client = createTestChat({ replies: ['Hi there.'] }).client;
});
afterEach(() => {
  cleanup();
  client.dispose();
  vi.useRealTimers();
});

function HostChat({ chat }: { chat: ChatClient }) {
  const { state, send } = useParleyChat(chat);
  const profile = useAgentProfile(chat);
  return (
    <div>
      <h1>{profile.data?.name ?? 'loading'}</h1>
      <output data-testid="turn">{state.turn.status}</output>
      <ul>
        {state.items.map((item) => (
          <li key={item.id}>
            {item.type === 'message' ? `${item.role}: ${item.text}` : item.toolName}
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => send('Hello')}>
        say hello
      </button>
    </div>
  );
}

describe('useParleyChat and useAgentProfile', () => {
  it('render the client state as it changes and act on it, with the profile from the host query cache', async () => {
    const queryClient = new QueryClient();
    render(
      <QueryClientProvider client={queryClient}>
        <HostChat chat={client} />
      </QueryClientProvider>,
    );
    void client.start();
    await advanceUntil(() => screen.queryByRole('heading', { name: 'Ada' }) !== null, client);
    expect(
      queryClient.getQueryData(['parley', 'agent-profile', client.getState().sessionId]),
    ).toEqual(expect.objectContaining({ name: 'Ada' }));

    fireEvent.click(screen.getByRole('button', { name: 'say hello' }));
    expect(screen.getByText('customer: Hello')).toBeTruthy();
    await advanceUntil((state) => state.turn.status === 'ready', client);
    expect(screen.getByText('agent: Hi there.')).toBeTruthy();
    expect(screen.getByTestId('turn').textContent).toBe('ready');
  });
});
