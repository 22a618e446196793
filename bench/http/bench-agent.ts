import { defineAgent } from '@parley/core';

/**
 * The agent every HTTP bench session talks to: a shop's support agent in fluid mode with a
 * handful of guidelines, so each turn runs retrieval, one judgement call and one streamed
 * reply, as a small real deployment's turns do.
 */
export const benchAgent = defineAgent({
  name: 'Shop support',
  description: 'Answers questions about orders, deliveries and returns.',
  guidelines: [
    {
      key: 'order-status',
      condition: 'the customer asks where their order is',
      action: 'tell them the status of their order',
      examples: ['where is my order', 'has my parcel shipped yet'],
    },
    {
      key: 'returns',
      condition: 'the customer wants to return an item',
      action: 'explain the 30-day return policy',
      examples: ['how do I send this back', 'can I return my shoes'],
    },
    {
      key: 'delivery-times',
      condition: 'the customer asks how long delivery takes',
      action: 'say that delivery takes two to four working days',
    },
    {
      key: 'opening-hours',
      condition: 'the customer asks when the shop is open',
      action: 'give the opening hours, 9 to 17 on weekdays',
    },
    {
      key: 'human',
      condition: 'the customer asks for a person',
      action: 'offer to hand the conversation to a colleague',
    },
  ],
});

/** What the bench's customers write; the turns' cost does not depend on which is sent. */
export const benchCustomerMessages = [
  'Hi, where is my order?',
  'How long does delivery take to Lyon?',
  'Can I return the shoes I bought last week?',
  'When are you open on Saturday?',
];
