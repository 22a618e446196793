import { type AgentDefinition, defineAgent } from '@parley/core';
import { createSampleTools, type SampleToolsOptions } from './sample-tools';

/** The sample agent's name: what `engine.sync` finds it by on every start. */
export const sampleAgentName = 'Parley Outfitters Support';

/** What the agent says, in strict canned mode, when no canned reply fits. */
export const sampleFallbackReply =
  "Sorry, I can't help with that here. I can check an order, start a return, look up stock, and answer questions about shipping, returns and our opening hours.";

/** The question every "give me the order number" step asks. */
const askOrderNumber =
  'Which order is the item from? Please give me its number: it starts with PO, like PO-1001, and is in your confirmation email.';

/**
 * The quickstart's sample agent: the support desk of "Parley Outfitters", a fictional outdoor
 * shop. It is written to work well with no language model at all (strict canned mode):
 *
 * - each guideline carries example messages, so retrieval alone finds it;
 * - each guideline and journey step has a canned reply close to it in wording, its fields
 *   filled from variables (`{{store_hours.weekdays}}`) and tool results
 *   (`{{lookup_order.order.status}}`);
 * - tools return one shape per outcome (`order`, `notFound`, `needsNumber`…), so only the
 *   templates the outcome can fill are candidates: branching without a model;
 * - the return journey branches on the customer's words (refund, exchange, never mind), and
 *   its tool state follows its single transition automatically.
 *
 * With a model (OpenAI, Ollama…), the same definition runs in `canned_fluid` mode: the model
 * picks a fitting canned reply, or writes one guided by the guidelines, glossary and variables.
 */
export function createSampleAgent(options: SampleToolsOptions): AgentDefinition {
  const { lookupOrder, checkStock } = createSampleTools(options);
  return defineAgent({
    name: sampleAgentName,
    description:
      'The customer support assistant of Parley Outfitters, an outdoor clothing shop: orders, returns, stock, shipping and opening hours.',
    compositionMode: 'canned_fluid',
    tools: [lookupOrder, checkStock],
    variables: [
      {
        name: 'store_hours',
        description: 'Opening hours of the shop at 12 Harbour Street, Portsmouth',
        defaultValue: {
          weekdays: '9:00 to 18:00',
          saturday: '10:00 to 16:00',
          sunday: 'closed',
          address: '12 Harbour Street, Portsmouth',
        },
      },
      {
        name: 'shipping',
        description: 'Shipping options and prices',
        defaultValue: {
          standard: '€4.95 (3 to 5 business days)',
          express: '€9.95 (next business day when ordered before 14:00)',
          freeFrom: '€60',
        },
      },
      {
        name: 'return_window_days',
        description: 'How many days after delivery an item can be sent back',
        defaultValue: 30,
      },
    ],
    terms: [
      {
        name: 'PO number',
        description: 'The order number on the order confirmation email, like PO-1001.',
        synonyms: ['order number', 'order id'],
      },
      {
        name: 'RMA code',
        description:
          'Return merchandise authorization: the code written on a return parcel, like RMA-1001.',
        synonyms: ['return code', 'RMA'],
      },
      {
        name: 'Click & Collect',
        description: 'Ordering online and picking the order up in the Portsmouth shop, free.',
        synonyms: ['pick-up', 'collect in store'],
      },
    ],
    guidelines: [
      {
        key: 'greeting',
        condition: 'the customer greets the assistant or says hello',
        action: 'greet them and say what you can help with',
        examples: ['hi', 'hello', 'hello there', 'hey, anyone there?', 'good morning'],
      },
      {
        key: 'order_status',
        condition:
          'the customer asks where their order is, whether it has shipped or when it arrives',
        action: 'look the order up and tell its status',
        tools: ['lookup_order'],
        examples: [
          'where is my order?',
          'has my package shipped yet?',
          'when will order PO-1002 arrive?',
          'can you track my parcel PO-1003',
          'what is the status of my order',
          'my order number is PO-1002',
          'what about order 1001?',
        ],
      },
      {
        key: 'return_policy',
        condition: 'the customer asks about the return policy or how refunds work',
        action: 'explain the return window and how refunds are paid, and offer to start a return',
        examples: [
          'what is your return policy?',
          'how long do I have to send something back?',
          'how do refunds work?',
          'are returns free?',
        ],
      },
      {
        key: 'opening_hours',
        condition: 'the customer asks when the shop is open or where it is',
        action: 'give the opening hours and the address from store_hours',
        examples: [
          'what are your opening hours?',
          'when are you open?',
          'are you open on Sunday?',
          'where is your shop?',
          'what time do you close on Saturday',
        ],
      },
      {
        key: 'shipping_costs',
        condition: 'the customer asks how much shipping costs or how long delivery takes',
        action: 'give the shipping prices and times from the shipping variable',
        examples: [
          'how much is shipping?',
          'what does delivery cost?',
          'how long does delivery take?',
          'do you offer free shipping?',
          'can I get express delivery',
        ],
      },
      {
        key: 'stock',
        condition: 'the customer asks whether a product is in stock or available',
        action: 'check the stock of the product and tell which sizes are available',
        tools: ['check_stock'],
        examples: [
          'do you have the Trailblazer jacket in stock?',
          'is the merino beanie available?',
          'are the hiking boots in stock in size 42?',
          'do you still have the canvas daypack',
          'when will the fleece be back in stock',
        ],
      },
      {
        key: 'thanks',
        condition: 'the customer thanks the assistant or says goodbye',
        action: 'say they are welcome and wish them a good day',
        examples: ['thanks!', 'thank you so much', 'bye', 'that is all, goodbye', 'great, cheers'],
      },
    ],
    journeys: [
      {
        key: 'return_item',
        title: 'Return an item',
        description: 'Registers the return of an item for a refund or an exchange.',
        conditions: [
          'the customer wants to return an item they bought',
          'the customer wants to send something back for a refund or an exchange',
          'the customer says "I want to return my order" or "I would like to send this back"',
          'the customer asks "can I send these back?" or "can I exchange this?"',
        ],
        initialState: 'choose',
        states: [
          {
            key: 'choose',
            kind: 'chat',
            action: 'Ask whether the customer would like a refund or an exchange',
          },
          {
            key: 'ask_order_refund',
            kind: 'chat',
            action: 'Ask which order the item is from, and its number',
          },
          {
            key: 'ask_order_exchange',
            kind: 'chat',
            action: 'Ask which order the item is from, and its number',
          },
          { key: 'lookup_refund', kind: 'tool', tool: 'lookup_order' },
          { key: 'lookup_exchange', kind: 'tool', tool: 'lookup_order' },
          {
            key: 'refund_registered',
            kind: 'chat',
            action:
              'Tell the result: the return is registered for a refund, with its RMA code; or sorry, the order cannot be returned; or the order number was not found',
          },
          {
            key: 'exchange_registered',
            kind: 'chat',
            action:
              'Tell the result: the exchange is registered, with its RMA code; or sorry, the order cannot be returned; or the order number was not found',
          },
          {
            key: 'kept',
            kind: 'chat',
            action: 'Say that nothing was changed and the customer keeps the item',
          },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'choose',
            to: 'ask_order_refund',
            condition: 'the customer wants a refund, their money back',
          },
          {
            from: 'choose',
            to: 'ask_order_exchange',
            condition: 'the customer wants an exchange for another size or colour',
          },
          {
            from: 'choose',
            to: 'kept',
            condition: 'the customer changed their mind: never mind, I will keep it',
          },
          {
            from: 'ask_order_refund',
            to: 'lookup_refund',
            condition: 'the order number: PO-1001, 1001',
          },
          {
            from: 'ask_order_refund',
            to: 'kept',
            condition: 'the customer changed their mind: never mind, I will keep it',
          },
          {
            from: 'ask_order_exchange',
            to: 'lookup_exchange',
            condition: 'the order number: PO-1001, 1001',
          },
          {
            from: 'ask_order_exchange',
            to: 'kept',
            condition: 'the customer changed their mind: never mind, I will keep it',
          },
          { from: 'lookup_refund', to: 'refund_registered' },
          { from: 'lookup_exchange', to: 'exchange_registered' },
          { from: 'refund_registered', to: 'done' },
          { from: 'exchange_registered', to: 'done' },
          { from: 'kept', to: 'done' },
        ],
      },
    ],
    cannedResponses: [
      // greeting
      {
        template:
          'Hello, and welcome to Parley Outfitters! I can check an order, start a return, look up stock, and tell you about shipping and our opening hours. How can I help?',
      },
      // order_status, one template per outcome of lookup_order
      {
        template:
          'Order {{lookup_order.order.number}} ({{lookup_order.order.item}}) is {{lookup_order.order.status}}: {{lookup_order.order.statusDetail}}.',
      },
      {
        template:
          'Sorry, the order number {{lookup_order.notFound.given}} was not found. Please check it in your confirmation email: it looks like PO-1001.',
      },
      {
        template:
          'Happy to track your order and tell you where it is. What is the order number? It looks like {{lookup_order.needsNumber.example}}.',
      },
      // return_policy
      {
        template:
          'You can return any unworn item within {{return_window_days}} days of delivery, free of charge, for a refund or an exchange. Refunds go back to your original payment method within 5 business days of the parcel reaching us. Just say "I want to return an item" and I will start a return for you.',
      },
      // opening_hours
      {
        template:
          'Our shop at {{store_hours.address}} is open {{store_hours.weekdays}} Monday to Friday and {{store_hours.saturday}} on Saturday; on Sunday we are {{store_hours.sunday}}.',
      },
      // shipping_costs
      {
        template:
          'Standard shipping costs {{shipping.standard}} and express delivery {{shipping.express}}. Shipping is free on orders over {{shipping.freeFrom}}.',
      },
      // stock, one template per outcome of check_stock
      {
        template:
          'Good news: the {{check_stock.product.name}} ({{check_stock.product.price}}) is in stock in sizes {{check_stock.inStock.sizes}}.',
      },
      {
        template:
          'Sorry, we are out of the {{check_stock.product.name}} at the moment. We expect new stock on {{check_stock.outOfStock.restockOn}}.',
      },
      {
        template:
          'Which product should I check? We carry the {{check_stock.unknownProduct.catalogue}}.',
      },
      // thanks
      {
        template:
          'You are welcome! Thank you for shopping with Parley Outfitters, and have a good day.',
      },
      // journey: choose
      {
        template:
          'I can help you return an item. Would you like a refund, or an exchange for another size or colour?',
      },
      // journey: ask_order_refund / ask_order_exchange
      { template: askOrderNumber },
      // journey: refund_registered, exchange_registered, and lookups that cannot go on
      {
        template:
          'Done: the return of your {{lookup_order.order.item}} (order {{lookup_order.order.number}}) is registered for a refund. Write the return code {{lookup_order.returnable.rma}} on the parcel and drop it at any post office by {{lookup_order.returnable.until}}; the refund is paid within 5 business days of it reaching us.',
      },
      {
        template:
          'Done: the exchange of your {{lookup_order.order.item}} (order {{lookup_order.order.number}}) is registered. Write the return code {{lookup_order.returnable.rma}} on the parcel and send it by {{lookup_order.returnable.until}}; we will email you to choose the size or colour you want instead.',
      },
      {
        template:
          'Sorry, the order {{lookup_order.order.number}} ({{lookup_order.order.item}}) cannot be returned: {{lookup_order.notReturnable.reason}}.',
      },
      // journey: kept
      {
        template: 'No problem: nothing was changed, and you keep the item. Anything else I can do?',
      },
    ],
  });
}
