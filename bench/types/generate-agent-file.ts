/**
 * The agent file the type-check benchmark compiles: written the way a host writes one, with
 * `tool({ parameters: z.object(…) })` for each of its tools and one `defineAgent(…)` that
 * lists them and refers to them from guidelines, journeys and variables.
 *
 * Ten tool shapes, each made for three kinds of record (orders, invoices, bookings), so the
 * thirty tools differ in their names, fields and handlers while covering what hosts use:
 * strings with checks, numbers, booleans, enums, optional and nullable fields, defaults,
 * descriptions, nested objects, arrays of objects, records, unions and literals. Every handler
 * reads its typed arguments in ways that only compile if the inference is right (a method of
 * `string` on a required string, `??` on an optional one, a `switch` that must be exhaustive).
 */

/** One tool as source text. */
interface ToolSource {
  /** The tool's name, as guidelines and journey states refer to it. */
  name: string;
  /** The variable the tool is assigned to. */
  variable: string;
  source: string;
}

/** The record kinds the ten shapes are made for, with the words their texts use. */
interface RecordKind {
  /** Singular, lowercase, an identifier: `order`. */
  noun: string;
  /** `Order`, for variable names. */
  title: string;
  /** Its statuses, the first being where a new one starts. */
  statuses: readonly [string, string, string, string];
}

const recordKinds: readonly RecordKind[] = [
  { noun: 'order', title: 'Order', statuses: ['pending', 'paid', 'shipped', 'delivered'] },
  { noun: 'invoice', title: 'Invoice', statuses: ['draft', 'sent', 'paid', 'overdue'] },
  { noun: 'booking', title: 'Booking', statuses: ['requested', 'confirmed', 'started', 'ended'] },
];

const quote = (text: string) => `'${text}'`;
const enumOf = (values: readonly string[]) => `z.enum([${values.map(quote).join(', ')}])`;

/** The ten tool shapes; each returns the tool's source for one record kind. */
const toolShapes: ReadonlyArray<(kind: RecordKind) => ToolSource> = [
  ({ noun, title }) => ({
    name: `lookup_${noun}`,
    variable: `lookup${title}`,
    source: `tool({
  name: 'lookup_${noun}',
  description: 'Finds one ${noun} by its reference and tells its status',
  parameters: z.object({
    reference: z.string().min(3).max(32).describe('The ${noun} reference the customer gave, like A-1042'),
    includeHistory: z.boolean().default(false).describe('Also return its past status changes'),
  }),
  handler: async ({ reference, includeHistory }, context) => {
    const normalized = reference.trim().toUpperCase();
    const found = await records.find('${noun}', normalized, context.signal);
    return {
      reference: normalized,
      status: found?.status ?? 'unknown',
      history: includeHistory ? (found?.history ?? []) : [],
    };
  },
})`,
  }),
  ({ noun, title, statuses }) => ({
    name: `search_${noun}s`,
    variable: `search${title}s`,
    source: `tool({
  name: 'search_${noun}s',
  description: 'Searches the customer\\'s ${noun}s by free text, newest first unless asked otherwise',
  parameters: z.object({
    query: z.string().min(1).describe('Words to look for'),
    limit: z.number().int().min(1).max(50).default(10),
    sort: z.enum(['newest', 'oldest', 'relevance']).optional(),
    filters: z
      .object({
        status: z.array(${enumOf(statuses)}).max(4).optional(),
        createdAfter: z.iso.datetime().optional().describe('ISO 8601 date and time'),
        minimumTotal: z.number().nonnegative().optional(),
      })
      .optional(),
  }),
  handler: async ({ query, limit, sort, filters }, context) => {
    const statuses = filters?.status?.join(',') ?? 'any';
    const rows = await records.search('${noun}', {
      text: query.toLowerCase(),
      limit: Math.min(limit, 50),
      order: sort ?? 'relevance',
      statuses,
      after: filters?.createdAfter ? Date.parse(filters.createdAfter) : null,
      customerId: context.customerId,
    });
    return { count: rows.length, references: rows.map((row) => row.reference) };
  },
})`,
  }),
  ({ noun, title }) => ({
    name: `create_${noun}`,
    variable: `create${title}`,
    source: `tool({
  name: 'create_${noun}',
  description: 'Creates a ${noun} for the customer with the given lines and address',
  parameters: z.object({
    lines: z
      .array(
        z.object({
          sku: z.string().regex(/^[A-Z0-9-]{3,20}$/).describe('The product code'),
          quantity: z.number().int().positive(),
          unitPrice: z.number().nonnegative().describe('Price of one unit, in the currency'),
          giftWrap: z.boolean().optional(),
        }),
      )
      .min(1)
      .max(20),
    currency: z.enum(['EUR', 'USD', 'GBP']).default('EUR'),
    address: z.object({
      line1: z.string(),
      line2: z.string().optional(),
      city: z.string(),
      postalCode: z.string().max(12),
      country: z.string().length(2).describe('ISO 3166-1 alpha-2'),
    }),
    note: z.string().max(500).nullable().default(null),
  }),
  handler: ({ lines, currency, address, note }, context) => {
    const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    const wrapped = lines.filter((line) => line.giftWrap === true).length;
    return {
      reference: \`\${address.country.toUpperCase()}-\${context.sessionId.slice(0, 6)}\`,
      total: Number(total.toFixed(2)),
      currency,
      wrapped,
      city: address.city.trim(),
      note: note?.trim() ?? null,
    };
  },
})`,
  }),
  ({ noun, title, statuses }) => ({
    name: `update_${noun}_status`,
    variable: `update${title}Status`,
    source: `tool({
  name: 'update_${noun}_status',
  description: 'Moves a ${noun} to a new status',
  parameters: z.object({
    reference: z.string(),
    status: ${enumOf(statuses)},
    reason: z.string().max(500).optional(),
    notifyCustomer: z.boolean().default(true),
  }),
  handler: async ({ reference, status, reason, notifyCustomer }) => {
    const changed = await records.setStatus('${noun}', reference, status);
    if (notifyCustomer) await records.notify(reference, \`now \${status}\${reason ? \`: \${reason}\` : ''}\`);
    return { reference, status, changed };
  },
})`,
  }),
  ({ noun, title }) => ({
    name: `cancel_${noun}`,
    variable: `cancel${title}`,
    source: `tool({
  name: 'cancel_${noun}',
  description: 'Cancels a ${noun}; asks for the reason first',
  parameters: z.object({
    reference: z.string().describe('The ${noun} reference'),
    reason: z.enum(['customer_request', 'duplicate', 'fraud', 'other']),
    details: z.string().optional(),
  }),
  handler: async ({ reference, reason, details }) => {
    let refund: 'full' | 'none' | 'review';
    switch (reason) {
      case 'customer_request':
      case 'duplicate':
        refund = 'full';
        break;
      case 'fraud':
        refund = 'none';
        break;
      case 'other':
        refund = 'review';
        break;
      default: {
        const unreachable: never = reason;
        throw new Error(\`unknown reason \${String(unreachable)}\`);
      }
    }
    await records.setStatus('${noun}', reference, 'cancelled');
    return { reference, refund, details: details ?? '' };
  },
})`,
  }),
  ({ noun, title }) => ({
    name: `list_${noun}_events`,
    variable: `list${title}Events`,
    source: `tool({
  name: 'list_${noun}_events',
  description: 'Lists what happened to a ${noun}, a page at a time',
  parameters: z.object({
    reference: z.string(),
    since: z.iso.datetime().optional(),
    kinds: z.array(z.string().min(1)).max(10).default([]),
    page: z
      .object({
        cursor: z.string().nullable().default(null),
        size: z.number().int().min(1).max(100).default(20),
      })
      .default({ cursor: null, size: 20 }),
  }),
  handler: async ({ reference, since, kinds, page }) => {
    const events = await records.events('${noun}', reference, {
      since: since ?? null,
      kinds: kinds.map((kind) => kind.toLowerCase()),
      cursor: page.cursor,
      size: page.size,
    });
    return { events: events.map((event) => ({ at: event.at, kind: event.kind })) };
  },
})`,
  }),
  ({ noun, title }) => ({
    name: `estimate_${noun}_cost`,
    variable: `estimate${title}Cost`,
    source: `tool({
  name: 'estimate_${noun}_cost',
  description: 'Estimates what a ${noun} will cost, taxes and discount included',
  parameters: z.object({
    currency: z.enum(['EUR', 'USD', 'GBP']).default('EUR'),
    lines: z
      .array(
        z.object({
          description: z.string(),
          amount: z.number().nonnegative(),
          taxRate: z.number().min(0).max(1).optional().describe('0.2 for 20%'),
        }),
      )
      .min(1),
    discountCode: z
      .string()
      .regex(/^[A-Z0-9]{4,12}$/)
      .optional(),
    shipping: z.union([z.literal('standard'), z.literal('express'), z.literal('pickup')]).default('standard'),
  }),
  handler: ({ currency, lines, discountCode, shipping }) => {
    const net = lines.reduce((sum, line) => sum + line.amount, 0);
    const tax = lines.reduce((sum, line) => sum + line.amount * (line.taxRate ?? 0.2), 0);
    const shippingCost = shipping === 'express' ? 15 : shipping === 'standard' ? 5 : 0;
    const discount = discountCode?.startsWith('VIP') ? 0.1 : 0;
    return { currency, total: Number(((net + tax) * (1 - discount) + shippingCost).toFixed(2)) };
  },
})`,
  }),
  ({ noun, title }) => ({
    name: `contact_${noun}_owner`,
    variable: `contact${title}Owner`,
    source: `tool({
  name: 'contact_${noun}_owner',
  description: 'Sends a message to whoever handles the ${noun}',
  parameters: z.object({
    reference: z.string(),
    channel: z.enum(['email', 'sms', 'phone']),
    email: z.email().optional(),
    phone: z.string().min(6).optional(),
    message: z.string().min(1).max(2000),
    urgent: z.boolean().optional(),
  }),
  handler: async ({ reference, channel, email, phone, message, urgent }, context) => {
    const to = channel === 'email' ? (email ?? 'support@example.com') : (phone ?? 'unknown');
    await records.notify(reference, \`[\${urgent ? 'urgent' : 'normal'}] \${message.slice(0, 200)} → \${to}\`);
    return { sent: !context.signal.aborted, channel, to };
  },
})`,
  }),
  ({ noun, title }) => ({
    name: `schedule_${noun}_callback`,
    variable: `schedule${title}Callback`,
    source: `tool({
  name: 'schedule_${noun}_callback',
  description: 'Books a call back about a ${noun}',
  parameters: z.object({
    reference: z.string(),
    date: z.iso.date().describe('The day, YYYY-MM-DD'),
    slot: z.enum(['morning', 'afternoon', 'evening']),
    timezone: z.string().default('Europe/Paris'),
    attendees: z
      .array(
        z.object({
          name: z.string(),
          role: z.enum(['customer', 'agent', 'manager']).default('customer'),
        }),
      )
      .max(5)
      .default([]),
  }),
  handler: async ({ reference, date, slot, timezone, attendees }) => {
    const managers = attendees.filter((attendee) => attendee.role === 'manager');
    const id = await records.schedule(reference, \`\${date}T\${slot}\`, timezone);
    return { id, date, slot, people: attendees.map((attendee) => attendee.name), managers: managers.length };
  },
})`,
  }),
  ({ noun, title }) => ({
    name: `attach_${noun}_note`,
    variable: `attach${title}Note`,
    source: `tool({
  name: 'attach_${noun}_note',
  description: 'Adds a note to a ${noun}, for the team or for the customer',
  parameters: z.object({
    reference: z.string(),
    note: z.string().min(1),
    tags: z.array(z.string()).optional(),
    visibility: z.union([z.literal('internal'), z.literal('customer')]).default('internal'),
    metadata: z.record(z.string(), z.string()).optional(),
    rating: z.number().int().min(1).max(5).nullable().optional(),
  }),
  handler: async ({ reference, note, tags, visibility, metadata, rating }) => {
    const keys = Object.keys(metadata ?? {}).sort();
    await records.notify(reference, \`\${visibility}: \${note}\`);
    return { reference, tags: tags ?? [], visibility, keys, rating: rating ?? null };
  },
})`,
  }),
];

/** The in-memory records the handlers call: a stand-in for the host's own services. */
const recordsSource = `/** What the handlers call: a stand-in for the host's own services. */
interface RecordRow {
  reference: string;
  status: string;
  history: string[];
}
const rows = new Map<string, RecordRow>();
const records = {
  async find(kind: string, reference: string, signal: AbortSignal): Promise<RecordRow | undefined> {
    if (signal.aborted) return undefined;
    return rows.get(\`\${kind}:\${reference}\`);
  },
  async search(
    kind: string,
    options: { text: string; limit: number; order: string; statuses: string; after: number | null; customerId: string | null },
  ): Promise<RecordRow[]> {
    return [...rows.values()].filter((row) => row.reference.startsWith(kind) && row.status.includes(options.text)).slice(0, options.limit);
  },
  async setStatus(kind: string, reference: string, status: string): Promise<boolean> {
    const row = rows.get(\`\${kind}:\${reference}\`);
    if (!row) return false;
    row.history.push(row.status);
    row.status = status;
    return true;
  },
  async notify(reference: string, text: string): Promise<void> {
    rows.get(reference)?.history.push(text);
  },
  async events(
    kind: string,
    reference: string,
    options: { since: string | null; kinds: string[]; cursor: string | null; size: number },
  ): Promise<Array<{ at: string; kind: string }>> {
    const row = rows.get(\`\${kind}:\${reference}\`);
    return (row?.history ?? []).slice(0, options.size).map((text) => ({ at: options.since ?? '', kind: text }));
  },
  async schedule(reference: string, when: string, timezone: string): Promise<string> {
    return \`\${reference}@\${when}@\${timezone}\`;
  },
};`;

/** The definition: a guideline per tool, a journey per record kind, variables, terms. */
function agentSource(tools: readonly ToolSource[]): string {
  const guidelines = tools.map(
    (tool) => `    {
      key: '${tool.name}',
      condition: 'the customer needs the ${tool.name.replaceAll('_', ' ')} done',
      action: 'call ${tool.name} with what the customer said, then tell them the result',
      tools: ['${tool.name}'],
      examples: ['can you ${tool.name.replaceAll('_', ' ')} for me?'],
      criticality: '${tool.name.startsWith('cancel') ? 'high' : 'medium'}',
    },`,
  );
  const relationships = recordKinds.map(
    ({ noun }) =>
      `    { kind: 'priority', source: 'cancel_${noun}', target: 'update_${noun}_status' },
    { kind: 'entailment', source: 'create_${noun}', target: 'estimate_${noun}_cost' },`,
  );
  const journeys = recordKinds.map(
    ({ noun, title }) => `    {
      key: 'cancel_${noun}_journey',
      title: 'Cancel a ${noun}',
      description: 'Find the ${noun}, ask why, cancel it and say what happens to the money',
      conditions: ['the customer wants to cancel a ${noun}'],
      initialState: 'ask_reference',
      states: [
        { key: 'ask_reference', kind: 'chat', action: 'Ask for the ${noun} reference' },
        { key: 'find', kind: 'tool', tool: 'lookup_${noun}' },
        { key: 'ask_reason', kind: 'chat', action: 'Ask why they want to cancel the ${noun}' },
        { key: 'cancel', kind: 'tool', tool: 'cancel_${noun}' },
        { key: 'tell', kind: 'chat', action: 'Say the ${noun} is cancelled and what is refunded' },
        { key: 'done', kind: 'end' },
      ],
      transitions: [
        { from: 'ask_reference', to: 'find' },
        { from: 'find', to: 'ask_reason', condition: 'the ${noun} was found' },
        { from: 'find', to: 'ask_reference', condition: 'no ${noun} has that reference' },
        { from: 'ask_reason', to: 'cancel' },
        { from: 'cancel', to: 'tell' },
        { from: 'tell', to: 'done' },
      ],
      guidelines: ['attach_${noun}_note'],
    },
    {
      key: 'book_${noun}_callback',
      title: 'Book a call back about a ${noun}',
      conditions: ['the customer wants someone to call them about a ${noun}'],
      initialState: 'ask_day',
      states: [
        { key: 'ask_day', kind: 'chat', action: 'Ask which day and time of day suits them' },
        { key: 'book', kind: 'tool', tool: 'schedule_${title.toLowerCase()}_callback' },
        { key: 'confirm', kind: 'chat', action: 'Confirm the call back' },
        { key: 'done', kind: 'end' },
      ],
      transitions: [
        { from: 'ask_day', to: 'book' },
        { from: 'book', to: 'confirm' },
        { from: 'confirm', to: 'done' },
      ],
    },`,
  );
  const variables = recordKinds.map(
    ({ noun }) => `    {
      name: 'latest_${noun}',
      description: 'The customer\\'s most recent ${noun}',
      tool: 'search_${noun}s',
      freshness: { kind: 'max_age', seconds: 300 },
    },`,
  );
  return `export const support = defineAgent({
  name: 'Back office',
  description: 'Helps customers with their orders, invoices and bookings',
  compositionMode: 'fluid',
  tools: [
${tools.map((tool) => `    ${tool.variable},`).join('\n')}
  ],
  guidelines: [
${guidelines.join('\n')}
    { key: 'greet', condition: 'the customer says hello', action: 'greet them back and offer help' },
  ],
  relationships: [
${relationships.join('\n')}
  ],
  journeys: [
${journeys.join('\n')}
  ],
  variables: [
${variables.join('\n')}
    { name: 'plan', description: 'The customer\\'s plan', defaultValue: 'basic' },
  ],
  terms: [
    { name: 'Reference', description: 'The code printed on every order, invoice and booking', synonyms: ['number', 'ref'] },
  ],
  cannedResponses: [
    { template: 'Your order {{lookup_order.reference}} is {{lookup_order.status}}.' },
  ],
});`;
}

/** How many tools the generated file defines. */
export const generatedToolCount = recordKinds.length * toolShapes.length;

/**
 * The source of the benchmark's agent file: `import { z } from 'zod'`, thirty tools, one
 * `defineAgent`. The same text for every zod copy, so only the copy differs between runs.
 */
export function generateAgentFile(): string {
  const tools = recordKinds.flatMap((kind) => toolShapes.map((shape) => shape(kind)));
  return `// Generated by bench/types: a host's agent file with ${tools.length} tools.
import { defineAgent, tool } from '@parley/core';
import { z } from 'zod';

${recordsSource}

${tools.map((tool) => `export const ${tool.variable} = ${tool.source};`).join('\n\n')}

${agentSource(tools)}
`;
}
