import { type ToolContext, type ToolDefinition, tool } from '@parley/core';
import { z } from 'zod';

/**
 * The customer's messages in a session, newest first. Tools read the order number or the
 * product from them when they are called without arguments: a journey's tool state, and any
 * call in no-LLM mode, has no model to extract arguments from the conversation.
 */
export type CustomerMessagesReader = (context: ToolContext) => Promise<string[]>;

/** Options of {@link createSampleTools}. */
export interface SampleToolsOptions {
  readCustomerMessages: CustomerMessagesReader;
  /** Today, for delivery and restock dates; default the system clock. */
  now?: () => Date;
}

const dayMs = 86_400_000;

/** Fake orders of Parley Outfitters: deterministic, dated relative to today. */
const orders = [
  {
    number: 'PO-1001',
    item: 'Trailblazer rain jacket, size M',
    status: 'delivered',
    deliveredDaysAgo: 6,
    detail: 'it arrived',
  },
  {
    number: 'PO-1002',
    item: 'Summit hiking boots, size 42',
    status: 'shipped',
    deliveredDaysAgo: null,
    detail:
      'it is on its way with ParcelPost (tracking PP-48213) and should arrive in 2 business days',
  },
  {
    number: 'PO-1003',
    item: 'Merino beanie, charcoal',
    status: 'being packed',
    deliveredDaysAgo: null,
    detail: 'it leaves our warehouse within 24 hours',
  },
  {
    number: 'PO-0999',
    item: 'Canvas daypack, olive',
    status: 'delivered',
    deliveredDaysAgo: 45,
    detail: 'it arrived',
  },
] as const;

/** Fake stock of Parley Outfitters, by product; `aliases` are what customers call it. */
const products = [
  {
    name: 'Trailblazer rain jacket',
    price: '€129',
    aliases: ['trailblazer', 'rain jacket', 'jacket', 'raincoat'],
    stock: { S: 4, M: 0, L: 7, XL: 2 },
    restockDays: null,
  },
  {
    name: 'Summit hiking boots',
    price: '€159',
    aliases: ['summit', 'hiking boots', 'boots', 'boot'],
    stock: { '40': 0, '41': 0, '42': 0, '43': 0, '44': 0 },
    restockDays: 10,
  },
  {
    name: 'Merino beanie',
    price: '€29',
    aliases: ['merino', 'beanie', 'hat'],
    stock: { 'one size': 23 },
    restockDays: null,
  },
  {
    name: 'Canvas daypack',
    price: '€69',
    aliases: ['daypack', 'backpack', 'rucksack', 'bag'],
    stock: { '20 L': 12 },
    restockDays: null,
  },
  {
    name: 'Ridgeline fleece',
    price: '€89',
    aliases: ['ridgeline', 'fleece'],
    stock: { S: 0, M: 0, L: 0 },
    restockDays: 21,
  },
] as const;

const formatDate = (date: Date) =>
  date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** An order number in a text: `PO-1001`, `po 1001`, `#1001` or a bare four-digit `1001`. */
export function findOrderNumber(text: string): string | null {
  const match = /\bPO[\s#-]*(\d{3,6})\b|(?:^|[\s#])(\d{4})\b/i.exec(text);
  const digits = match?.[1] ?? match?.[2];
  return digits ? `PO-${digits.padStart(4, '0')}` : null;
}

/** The return window in days: the agent's `return_window_days` variable, else 30. */
function returnWindowDays(context: ToolContext): number {
  const days = Number(context.variables.return_window_days);
  return Number.isInteger(days) && days > 0 ? days : 30;
}

/**
 * The sample agent's two tools, on fake, deterministic data:
 * - `lookup_order` finds an order and says whether it can still be returned;
 * - `check_stock` says whether a product is in stock, by size.
 *
 * Each result has one shape per outcome (`order`, `notFound`, `needsNumber`…), so in strict
 * canned mode exactly the templates whose fields the outcome fills can be sent.
 */
export function createSampleTools(options: SampleToolsOptions): {
  lookupOrder: ToolDefinition;
  checkStock: ToolDefinition;
} {
  const now = options.now ?? (() => new Date());

  const lookupOrder = tool({
    name: 'lookup_order',
    description:
      'Finds an order of Parley Outfitters by its number (like PO-1001): what it holds, where it is, and whether it can still be returned.',
    parameters: z.object({
      orderNumber: z
        .string()
        .max(40)
        .optional()
        .describe('The order number, like PO-1001; read from the conversation when absent'),
    }),
    handler: async ({ orderNumber }, context) => {
      let number = orderNumber ? findOrderNumber(orderNumber) : null;
      if (!number) {
        for (const text of await options.readCustomerMessages(context)) {
          number = findOrderNumber(text);
          if (number) break;
        }
      }
      if (!number) return { needsNumber: { example: 'PO-1001' } };
      const order = orders.find((candidate) => candidate.number === number);
      if (!order) return { notFound: { given: number } };
      const windowDays = returnWindowDays(context);
      const deliveredOn =
        order.deliveredDaysAgo === null
          ? null
          : new Date(now().getTime() - order.deliveredDaysAgo * dayMs);
      const summary = {
        number: order.number,
        item: order.item,
        status: order.status,
        statusDetail: deliveredOn ? `${order.detail} on ${formatDate(deliveredOn)}` : order.detail,
      };
      if (!deliveredOn) {
        return {
          order: summary,
          notReturnable: {
            reason: `it has not been delivered yet; once it arrives you have ${windowDays} days to send it back`,
          },
        };
      }
      const until = new Date(deliveredOn.getTime() + windowDays * dayMs);
      if (until.getTime() < now().getTime()) {
        return {
          order: summary,
          notReturnable: {
            reason: `it was delivered on ${formatDate(deliveredOn)}, more than ${windowDays} days ago`,
          },
        };
      }
      return {
        order: summary,
        returnable: { until: formatDate(until), rma: `RMA-${order.number.slice(3)}` },
      };
    },
  });

  const checkStock = tool({
    name: 'check_stock',
    description:
      'Says whether a product of Parley Outfitters is in stock, in which sizes, and when a sold-out one comes back.',
    parameters: z.object({
      product: z
        .string()
        .max(200)
        .optional()
        .describe(
          'The product, e.g. "Trailblazer rain jacket"; read from the conversation when absent',
        ),
    }),
    handler: async ({ product }, context) => {
      // Only the latest message: an older one may name a product the customer moved on from.
      const text = (
        product ??
        (await options.readCustomerMessages(context))[0] ??
        ''
      ).toLowerCase();
      const found = products.find((candidate) =>
        candidate.aliases.some((alias) => text.includes(alias)),
      );
      if (!found) {
        return {
          unknownProduct: { catalogue: products.map((candidate) => candidate.name).join(', ') },
        };
      }
      const summary = { name: found.name, price: found.price };
      const sizes = Object.entries(found.stock).filter(([, count]) => count > 0);
      if (sizes.length > 0) {
        return {
          product: summary,
          inStock: { sizes: sizes.map(([size, count]) => `${size} (${count} left)`).join(', ') },
        };
      }
      return {
        product: summary,
        outOfStock: {
          restockOn: formatDate(new Date(now().getTime() + (found.restockDays ?? 14) * dayMs)),
        },
      };
    },
  });

  return { lookupOrder, checkStock };
}
