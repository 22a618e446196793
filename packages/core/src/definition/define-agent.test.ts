import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { ParleyError } from '../errors/parley-error';
import { type ToolContext, tool } from '../tools/tool';
import {
  type AgentDefinition,
  type AgentDefinitionInput,
  type agentDefinitionSchema,
  defineAgent,
  deriveGuidelineKey,
  type GuidelineDefinitionInput,
  isAgentDefinition,
  type JourneyDefinitionInput,
} from './define-agent';

const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Finds an order by its number',
  parameters: z.object({ orderNumber: z.string() }),
  handler: async ({ orderNumber }) => ({ orderNumber, status: 'shipped' }),
});

const refund = tool({
  name: 'refund',
  description: 'Refunds an order',
  parameters: z.object({ orderNumber: z.string(), amount: z.number() }),
  handler: async () => ({ ok: true }),
});

/** A definition using every part, valid as written. */
function fullDefinition(): AgentDefinitionInput {
  return {
    name: 'Support',
    description: 'Answers customers',
    tools: [lookupOrder, refund],
    guidelines: [
      { key: 'greet', condition: 'the customer says hello', action: 'greet them back' },
      {
        key: 'order',
        condition: 'the customer asks about an order',
        action: 'look the order up',
        tools: ['lookup_order'],
      },
      { condition: 'the customer is angry', action: 'apologise' },
    ],
    relationships: [{ kind: 'priority', source: 'order', target: 'greet' }],
    journeys: [
      {
        key: 'refund',
        title: 'Refund',
        conditions: ['the customer wants a refund'],
        initialState: 'ask',
        states: [
          { key: 'ask', kind: 'chat', action: 'ask for the order number' },
          { key: 'pay', kind: 'tool', tool: 'refund' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          { from: 'ask', to: 'pay', condition: 'the customer gave the number' },
          { from: 'pay', to: 'done' },
        ],
        guidelines: ['order'],
      },
    ],
    variables: [{ name: 'last_order', tool: 'lookup_order' }],
    terms: [{ name: 'RMA', description: 'Return merchandise authorization' }],
    cannedResponses: [{ template: 'Your order {{orderNumber}} has shipped.' }],
  };
}

/** Drops `readonly` from arrays and properties, all the way down. */
type Writable<T> = T extends readonly (infer Item)[]
  ? Writable<Item>[]
  : T extends object
    ? { -readonly [Key in keyof T]: Writable<T[Key]> }
    : T;

/** The ParleyError thrown by defineAgent, and its issues as `path: message` lines. */
function failureOf(definition: unknown): { error: ParleyError; issues: string[] } {
  try {
    defineAgent(definition as AgentDefinitionInput);
  } catch (error) {
    if (!ParleyError.isInstance(error)) throw error;
    const issues = ((error.details?.issues ?? []) as Array<{ path: string; message: string }>).map(
      (issue) => `${issue.path}: ${issue.message}`,
    );
    return { error, issues };
  }
  throw new Error('defineAgent accepted an invalid definition');
}

describe('defineAgent', () => {
  it('returns a normalized, deeply frozen definition with every default filled in', () => {
    const definition = defineAgent({
      ...fullDefinition(),
      guidelines: [
        { key: 'greet', condition: '  the customer says hello  ', action: 'greet them back' },
      ],
      relationships: [],
      journeys: [],
    });
    expect(definition).toMatchObject({
      name: 'Support',
      description: 'Answers customers',
      compositionMode: 'fluid',
      metadata: {},
      guidelines: [
        {
          key: 'greet',
          condition: 'the customer says hello',
          action: 'greet them back',
          criticality: 'medium',
          tags: [],
          enabled: true,
          pinned: false,
          priority: 0,
          examples: [],
          compositionMode: null,
          tools: [],
          labels: [],
          customerTags: [],
          metadata: {},
        },
      ],
      variables: [
        {
          name: 'last_order',
          description: '',
          tool: 'lookup_order',
          freshness: null,
          defaultValue: null,
        },
      ],
      terms: [{ name: 'RMA', description: 'Return merchandise authorization', synonyms: [] }],
      cannedResponses: [
        { template: 'Your order {{orderNumber}} has shipped.', tags: [], metadata: {} },
      ],
    });
    expect(Object.isFrozen(definition)).toBe(true);
    expect(Object.isFrozen(definition.guidelines)).toBe(true);
    expect(Object.isFrozen(definition.guidelines[0])).toBe(true);
    expect(Object.isFrozen(definition.guidelines[0]?.tags)).toBe(true);
    expect(isAgentDefinition(definition)).toBe(true);
    expect(isAgentDefinition({ ...definition })).toBe(false);
  });

  it('keeps the tools themselves, handlers callable', async () => {
    const definition = defineAgent(fullDefinition());
    expect(definition.tools).toEqual([lookupOrder, refund]);
    expect(definition.tools[0]).toBe(lookupOrder);
    expect(
      await definition.tools[0]?.handler(
        { orderNumber: 'A1' },
        {
          workspaceId: 'w',
          agentId: 'a',
          sessionId: 's',
          customerId: null,
          message: '',
          agent: { id: 'a' } as ToolContext['agent'],
          session: { id: 's' } as ToolContext['session'],
          customer: null,
          variables: {},
          signal: new AbortController().signal,
        },
      ),
    ).toEqual({ orderNumber: 'A1', status: 'shipped' });
  });

  it('derives a stable key for a guideline without one', () => {
    const definition = defineAgent(fullDefinition());
    const derived = definition.guidelines[2]?.key;
    expect(derived).toMatch(/^g_[0-9a-f]{12}$/);
    expect(derived).toBe(deriveGuidelineKey('the customer is angry', 'apologise'));
    expect(deriveGuidelineKey(' the customer is angry ', 'apologise ')).toBe(derived);
    expect(deriveGuidelineKey('the customer is angry', 'apologise!')).not.toBe(derived);
    expect(deriveGuidelineKey('the customer is angry', null)).not.toBe(derived);
    // Fixed forever: a stored guideline is found again by this key after an upgrade.
    expect(deriveGuidelineKey('a', 'b')).toBe(deriveGuidelineKey('a', 'b'));
  });

  it('accepts its own output unchanged (a normalized definition is a valid input)', () => {
    const definition = defineAgent(fullDefinition());
    expect(defineAgent(definition)).toEqual(definition);
  });

  it('rejects field errors with the path of the field', () => {
    const { error, issues } = failureOf({
      name: '',
      guidelines: [{ condition: 'x', priority: 5000 }],
      journeys: [
        {
          key: 'j',
          title: 'J',
          conditions: [],
          initialState: 'a',
          states: [{ key: 'a', kind: 'end' }],
          transitions: [],
        },
      ],
    });
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/^Invalid agent definition: /);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: /),
        expect.stringMatching(/^guidelines\.0\.priority: /),
        expect.stringMatching(/^journeys\.0\.conditions: /),
      ]),
    );
  });

  it('rejects unknown fields, so a misspelling does not pass silently', () => {
    const { issues } = failureOf({
      name: 'Support',
      guidelines: [{ conditon: 'typo', condition: 'x' }],
    });
    expect(issues).toEqual([expect.stringMatching(/^guidelines\.0: .*conditon/)]);
  });

  it('rejects a tool not made with tool()', () => {
    const { issues } = failureOf({ name: 'Support', tools: [{ name: 'x' }] });
    expect(issues).toEqual(['tools.0: must be a tool made with tool()']);
  });

  it('rejects duplicate tool names', () => {
    const { issues } = failureOf({ ...fullDefinition(), tools: [lookupOrder, refund, refund] });
    expect(issues).toEqual(['tools.2.name: duplicate tool name "refund" (also tools.1)']);
  });

  it('takes workflows with their defaults; a workflow tool is a tool guidelines may name', () => {
    const definition = defineAgent({
      name: 'Refunds',
      workflows: [
        {
          workflowId: 'wf-refund',
          name: 'Refund',
          tool: 'issue_refund',
          inputSchema: { type: 'object', properties: { orderNumber: { type: 'string' } } },
        },
        { workflowId: 'wf-survey', name: 'Survey', triggers: ['session_closed'] },
      ],
      guidelines: [{ key: 'refund', condition: 'a refund is asked for', tools: ['issue_refund'] }],
    });
    expect(definition.workflows).toEqual([
      {
        workflowId: 'wf-refund',
        name: 'Refund',
        description: '',
        tool: 'issue_refund',
        inputSchema: { type: 'object', properties: { orderNumber: { type: 'string' } } },
        triggers: [],
        timeoutMs: 30_000,
        enabled: true,
      },
      expect.objectContaining({
        workflowId: 'wf-survey',
        tool: null,
        triggers: ['session_closed'],
      }),
    ]);
  });

  it('declares provided tools by name, for guidelines to name; their names are unique', () => {
    const definition = defineAgent({
      name: 'Orders',
      providedTools: [{ name: 'lookup_invoice', description: 'Finds an invoice' }],
      guidelines: [
        { key: 'invoice', condition: 'an invoice is asked for', tools: ['lookup_invoice'] },
      ],
    });
    expect(definition.providedTools).toEqual([
      {
        name: 'lookup_invoice',
        description: 'Finds an invoice',
        parameters: { type: 'object', properties: {} },
      },
    ]);
    const { issues } = failureOf({
      name: 'Orders',
      tools: [refund],
      providedTools: [
        { name: 'refund', description: 'Also a refund' },
        { name: 'lookup_invoice', description: 'Finds an invoice' },
        { name: 'lookup_invoice', description: 'Again' },
      ],
    });
    expect(issues).toEqual([
      'providedTools.0.name: tool name "refund" is already taken',
      'providedTools.2.name: tool name "lookup_invoice" is already taken',
    ]);
  });

  it('rejects workflows repeated, idle, or taking a tool name already used', () => {
    const { issues } = failureOf({
      name: 'Refunds',
      tools: [refund],
      workflows: [
        { workflowId: 'wf-1', name: 'One', tool: 'refund' },
        { workflowId: 'wf-1', name: 'Again', triggers: ['session_started'] },
        { workflowId: 'wf-2', name: 'Idle' },
      ],
    });
    expect(issues).toEqual([
      'workflows.1.workflowId: duplicate workflow "wf-1" (also workflows.0)',
      'workflows.0.tool: tool name "refund" is already taken',
      'workflows.2.tool: give the workflow a tool name, triggers, or both',
    ]);
    const unknownTrigger = failureOf({
      name: 'Refunds',
      workflows: [{ workflowId: 'wf', name: 'Odd', triggers: ['session_paused' as never] }],
    });
    expect(unknownTrigger.issues).toEqual([
      expect.stringMatching(/^workflows\.0\.triggers\.0: Invalid option/),
    ]);
  });

  it('rejects duplicate guideline keys, explicit or derived', () => {
    const definition = fullDefinition();
    const { issues } = failureOf({
      ...definition,
      guidelines: [
        ...(definition.guidelines ?? []),
        { key: 'greet', condition: 'someone waves' },
        { condition: 'the customer is angry', action: 'apologise' },
      ],
    });
    expect(issues).toEqual([
      'guidelines.3.key: duplicate guideline key "greet" (also guidelines.0)',
      expect.stringMatching(
        /^guidelines\.4\.key: same condition and action as guidelines\.2 \(derived key "g_[0-9a-f]{12}"\)$/,
      ),
    ]);
  });

  it('rejects guideline tools that are not in tools', () => {
    const { issues } = failureOf({
      ...fullDefinition(),
      guidelines: [{ key: 'g', condition: 'x', tools: ['lookup_order', 'cancel_order'] }],
      relationships: [],
      journeys: [],
    });
    expect(issues).toEqual([
      'guidelines.0.tools.1: unknown tool "cancel_order": add it to the definition\'s tools',
    ]);
  });

  it('rejects relationships naming unknown guideline keys, themselves, or twice', () => {
    const { issues } = failureOf({
      ...fullDefinition(),
      relationships: [
        { kind: 'priority', source: 'order', target: 'greet' },
        { kind: 'entailment', source: 'ordr', target: 'greet' },
        { kind: 'dependency', source: 'greet', target: 'nobody' },
        { kind: 'priority', source: 'order', target: 'greet' },
        { kind: 'disambiguation', source: 'greet', target: 'greet' },
      ],
    });
    expect(issues).toEqual([
      'relationships.3: duplicate priority relationship "order" → "greet" (also relationships.0)',
      'relationships.1.source: unknown guideline key "ordr"',
      'relationships.2.target: unknown guideline key "nobody"',
      'relationships.4.target: a guideline cannot relate to itself',
    ]);
  });

  it('rejects duplicate journey keys and journey references to unknown guidelines or tools', () => {
    const definition = fullDefinition();
    const journey = definition.journeys?.[0];
    if (!journey) throw new Error('fixture has a journey');
    const { issues } = failureOf({
      ...definition,
      journeys: [
        journey,
        {
          ...journey,
          states: [
            journey.states[0],
            { key: 'pay', kind: 'tool', tool: 'wire_money' },
            { key: 'done', kind: 'end' },
          ],
          guidelines: ['order', 'missing'],
        },
      ],
    });
    expect(issues).toEqual([
      'journeys.1.key: duplicate journey key "refund" (also journeys.0)',
      'journeys.1.states.1.tool: unknown tool "wire_money": add it to the definition\'s tools',
      'journeys.1.guidelines.1: unknown guideline key "missing"',
    ]);
  });

  it("applies the store's journey graph rules, naming the tool field as written", () => {
    const { issues } = failureOf({
      ...fullDefinition(),
      journeys: [
        {
          key: 'broken',
          title: 'Broken',
          conditions: ['always'],
          initialState: 'start',
          states: [
            { key: 'ask', kind: 'chat' },
            { key: 'pay', kind: 'tool' },
            { key: 'ask', kind: 'end' },
          ],
          transitions: [{ from: 'pay', to: 'nowhere' }],
        },
      ],
    });
    expect(issues).toEqual([
      'journeys.0.states.0.action: a chat state needs an action',
      'journeys.0.states.1.tool: a tool state needs a tool',
      'journeys.0.states.2.key: duplicate state key "ask"',
      'journeys.0.initialState: no state has the key "start"',
      'journeys.0.transitions.0.to: no state has the key "nowhere"',
    ]);
  });

  it("accepts a transition's `when`, null when absent, and names a malformed one", () => {
    const journey = fullDefinition().journeys?.[0];
    if (!journey) throw new Error('the full definition has a journey');
    const definition = defineAgent({
      ...fullDefinition(),
      journeys: [
        {
          ...journey,
          transitions: [
            { from: 'ask', to: 'pay', when: { path: 'lookup_order.status', equals: 'shipped' } },
            { from: 'pay', to: 'done', condition: 'the refund went through' },
          ],
        },
      ],
    });
    expect(definition.journeys[0]?.transitions).toEqual([
      {
        from: 'ask',
        to: 'pay',
        condition: null,
        when: { path: 'lookup_order.status', equals: 'shipped' },
      },
      { from: 'pay', to: 'done', condition: 'the refund went through', when: null },
    ]);
    expect(Object.isFrozen(definition.journeys[0]?.transitions[0]?.when)).toBe(true);

    const { issues } = failureOf({
      ...fullDefinition(),
      journeys: [
        {
          ...journey,
          transitions: [
            { from: 'ask', to: 'pay', when: { path: 'refund.ok' } },
            { from: 'pay', to: 'done', when: { path: '1refund', exists: true } },
          ],
        },
      ],
    });
    expect(issues).toEqual([
      expect.stringMatching(/^journeys\.0\.transitions\.0\.when: .*exactly one of "equals"/),
      expect.stringMatching(/^journeys\.0\.transitions\.1\.when\.path: must be a tool name/),
    ]);
  });

  it('keeps the labels and customer tags of guidelines and journeys, each once, and names a bad one', () => {
    const base = fullDefinition();
    const [greet, order] = base.guidelines ?? [];
    const [journey] = base.journeys ?? [];
    const definition = defineAgent({
      ...base,
      guidelines: [
        { ...(greet as GuidelineDefinitionInput), labels: ['greeting', 'greeting'] },
        { ...(order as GuidelineDefinitionInput), customerTags: [' gold ', 'platinum'] },
      ],
      relationships: [],
      journeys: [
        {
          ...(journey as JourneyDefinitionInput),
          labels: ['refund'],
          customerTags: ['gold'],
        },
      ],
    });
    expect(
      definition.guidelines.map(({ labels, customerTags }) => ({ labels, customerTags })),
    ).toEqual([
      { labels: ['greeting'], customerTags: [] },
      { labels: [], customerTags: ['gold', 'platinum'] },
    ]);
    expect(definition.journeys[0]).toMatchObject({ labels: ['refund'], customerTags: ['gold'] });
    expect(Object.isFrozen(definition.guidelines[1]?.customerTags)).toBe(true);

    const { error, issues } = failureOf({
      ...base,
      guidelines: [{ condition: 'a', labels: [''], customerTags: 'gold' }],
      relationships: [],
      journeys: [
        { ...(journey as JourneyDefinitionInput), guidelines: [], labels: ['x'.repeat(101)] },
      ],
    });
    expect(error.code).toBe('validation_failed');
    expect(issues).toEqual([
      expect.stringMatching(/^guidelines\.0\.labels\.0: /),
      expect.stringMatching(/^guidelines\.0\.customerTags: .*array/),
      expect.stringMatching(/^journeys\.0\.labels\.0: .*100/),
    ]);
  });

  it('rejects duplicate variable names and variable tools not in tools', () => {
    const { issues } = failureOf({
      ...fullDefinition(),
      variables: [
        { name: 'plan' },
        { name: 'plan', description: 'again' },
        { name: 'balance', tool: 'fetch_balance' },
      ],
    });
    expect(issues).toEqual([
      'variables.1.name: duplicate variable name "plan" (also variables.0)',
      'variables.2.tool: unknown tool "fetch_balance": add it to the definition\'s tools',
    ]);
  });

  it('rejects duplicate term names, ignoring case, and duplicate canned templates', () => {
    const { issues } = failureOf({
      ...fullDefinition(),
      terms: [
        { name: 'RMA', description: 'a' },
        { name: 'rma', description: 'b' },
      ],
      cannedResponses: [{ template: 'Hello' }, { template: ' Hello ' }],
    });
    expect(issues).toEqual([
      'terms.1.name: duplicate term name "rma" (ignoring case; also terms.0)',
      'cannedResponses.1.template: duplicate canned response template (also cannedResponses.0)',
    ]);
  });

  it('keeps its input type and its schema in step', () => {
    type SchemaInput = z.input<typeof agentDefinitionSchema>;
    // The type reads arrays as readonly (so `as const` definitions fit); otherwise the same.
    expectTypeOf<Writable<Omit<AgentDefinitionInput, 'tools'>>>().toEqualTypeOf<
      Omit<SchemaInput, 'tools'>
    >();
    // `| readonly []` accepts nothing more; it makes an inline `tools: [a, b]` a tuple (see
    // `AgentDefinitionInput.tools`).
    expectTypeOf<AgentDefinitionInput['tools']>().toEqualTypeOf<
      Readonly<SchemaInput['tools']> | readonly []
    >();
    expectTypeOf<AgentDefinition>().toExtend<AgentDefinitionInput>();
  });
});
