import type { StoryContext } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';

/** What the play helpers need of a story's context: its canvas queries and its user events. */
export type PlayContext = Pick<StoryContext, 'canvas' | 'userEvent' | 'canvasElement'>;

/**
 * How long a play function waits for the scripted agent: its steps take a few hundred
 * milliseconds, so five seconds means something is broken, not slow.
 */
export const chatTimeoutMs = 5_000;

/** Waits until `assertion` passes (it throws until then), up to {@link chatTimeoutMs}. */
export function eventually(assertion: () => void | Promise<void>, timeoutMs = chatTimeoutMs) {
  return waitFor(assertion, { timeout: timeoutMs, interval: 25 });
}

/** Waits for the chat to be up: the agent's name in the header and the composer usable. */
export async function waitForChat(
  { canvas }: PlayContext,
  { agentName = 'Ada', composerName = 'Message' } = {},
): Promise<HTMLTextAreaElement> {
  await eventually(() => expect(canvas.getByRole('heading', { name: agentName })).toBeVisible());
  const composer = canvas.getByRole('textbox', { name: composerName }) as HTMLTextAreaElement;
  await eventually(() => expect(composer).toBeEnabled());
  return composer;
}

/** Types a message into the composer and sends it with Enter, as a visitor would. */
export async function sendMessage(
  context: PlayContext,
  text: string,
  options: { agentName?: string; composerName?: string } = {},
): Promise<void> {
  const composer = await waitForChat(context, options);
  await context.userEvent.type(composer, `${text}{Enter}`);
  await eventually(() => expect(composer).toHaveValue(''));
}

/** The conversation log (`role="log"`). */
export function conversation({ canvas }: PlayContext, name = 'Conversation'): HTMLElement {
  return canvas.getByRole('log', { name });
}

/** The status line's words ("Typing…", "You are offline…"), or `''`. */
export function statusLine({ canvasElement }: PlayContext): string {
  return canvasElement.querySelector('.parley-status')?.textContent ?? '';
}

/** What the chat's polite live region says now (screen readers hear it; nobody sees it). */
export function announcement({ canvasElement }: PlayContext): string {
  return canvasElement.querySelector('.parley-root [aria-live="polite"]')?.textContent ?? '';
}
