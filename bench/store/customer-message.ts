import { randomUUID } from 'node:crypto';
import type { EventInput } from '@parley/core';

const questions = [
  'Hi, my order has not arrived yet and the tracking page has not changed since Monday.',
  'Can I change the delivery address on an order I placed an hour ago, please?',
  'The discount code from your newsletter is rejected at checkout, what am I doing wrong?',
  'I was charged twice for the same subscription this month; could you refund one of them?',
] as const;

/**
 * One message a customer types into the widget: 75–95 characters of text and the client's
 * message id, which is what the widget sends so that a retried send is not stored twice.
 */
export function createCustomerMessage(sequence: number): EventInput {
  const text = questions[sequence % questions.length] ?? questions[0];
  return {
    kind: 'message',
    source: 'customer',
    data: { text, clientMessageId: randomUUID() },
  };
}
