import { z } from 'zod';
import { type AgentDefinition, defineAgent } from '../../../src/definition/define-agent';
import { type ToolDefinition, tool } from '../../../src/tools/tool';

// Northwind Broadband, a fictional internet provider in the north of England: the support
// assistant in its customers' account pages. Written as the provider's support lead would
// write it, for an evaluation of the no-LLM mode on an agent nobody tuned the engine to. Its
// fake network is frozen on the suites' fixed day, Monday 15 June 2026.

/** The agent's name: what a sync finds it by. */
export const northwindAgentName = 'Northwind Broadband Support';

/**
 * What the assistant says when nothing it knows fits (the engine's `fallbackReply` option: a
 * definition has no field for it). Not a canned response, so no template competes with it.
 */
export const northwindFallbackReply =
  "Sorry, I can't help with that here. I can check for outages, help with a slow connection, explain our plans and change yours, and answer billing and moving-home questions.";

/** Every canned response of the agent, by what it is for: suites name the one they expect. */
export const northwindTemplates = {
  greeting:
    'Hi, and welcome to Northwind Broadband support! I can check for outages, help with a slow connection, explain our plans and change yours, and answer billing and moving-home questions. What can I do for you?',
  goodbye: "You're welcome! Thanks for being with Northwind Broadband. Have a great day!",
  plans:
    'Our plans: Basic 50 ({{plans.basic_50.speed}}) at {{plans.basic_50.price}}, Fibre 300 ({{plans.fibre_300.speed}}) at {{plans.fibre_300.price}}, and Fibre 900 ({{plans.fibre_900.speed}}) at {{plans.fibre_900.price}}. Every plan has unlimited data and a free Wi-Fi router.',
  billDueDate:
    'Your bill is issued on the {{billing.issueDay}} of each month and is due on the {{billing.dueDay}}: that is the day the Direct Debit is taken. You will find every bill in My Northwind, under Billing.',
  paymentMethods:
    'You can pay by {{billing.methods}}. Direct Debit is the easiest: set it up in My Northwind, under Billing.',
  movingHome:
    "Moving home? Tell us at least {{moving.noticeDays}} days before you move and we'll move your plan to the new address for free, if we serve it there; take your router with you. Call {{support.movingPhone}} or use the Moving form in My Northwind.",
  contract:
    "Our plans have a {{contract.minimumTerm}} minimum term, then run month to month. Leaving during the minimum term costs {{contract.earlyExitFee}}; after it you can leave at any time with 30 days' notice.",
  speakToPerson: 'You can speak to our support team on {{support.phone}}, {{support.phoneHours}}.',
  askPostcode: 'Which postcode should I check? For example LS6 2AB.',
  outageFound:
    'Yes, there is a known outage around {{check_outage.outage.area}} since {{check_outage.outage.since}}: {{check_outage.outage.cause}}. Our engineers expect to have it fixed by {{check_outage.outage.eta}}. Sorry for the trouble!',
  outageClear:
    "There is no known outage at {{check_outage.clear.postcode}}: the network there is working normally. If your connection is down or slow, tell me and I'll help you sort it out.",
  // slow_connection journey
  askRestart:
    'Sorry your connection is slow. First, please restart your router: switch it off at the plug, wait 30 seconds, switch it back on and give it 3 minutes to reconnect. Is it still slow after that?',
  askAccountForLineTest:
    "Thanks for trying that. I'll run a line test to look for a fault: what is your account number? It starts with NW, like NW123456, and is at the top of your bill.",
  fixedByRestart:
    "Great, glad it's back up to speed! If it slows down again, just tell me and I'll run a line test.",
  faultBooked:
    "The line test found a fault on your line, so I've booked a repair: your ticket number is {{run_line_test.ticket.number}}. An engineer will visit on {{run_line_test.ticket.engineerVisit}}; we'll text you the day before.",
  noFault:
    'The line test found no fault: your line is running at {{run_line_test.line.speed}}, as expected on {{run_line_test.line.plan}}. The slowness most likely comes from your home Wi-Fi: try a cable, or move the router somewhere open, away from thick walls and the microwave.',
  lineTestAccountNotFound:
    "Sorry, I couldn't find the account {{run_line_test.accountNotFound.accountNumber}}. Please check the number at the top of your bill: it looks like NW123456.",
  // upgrade_plan journey
  askPlan:
    'Happy to change your plan. Which one would you like: Basic 50 at {{plans.basic_50.price}}, Fibre 300 at {{plans.fibre_300.price}}, or Fibre 900 at {{plans.fibre_900.price}}?',
  askAccountForPlan:
    'Which account should I change? Please give me your account number: it starts with NW, like NW123456, and is at the top of your bill.',
  planChanged:
    'Done: account {{change_plan.change.accountNumber}} moves from {{change_plan.change.from}} to {{change_plan.change.to}} at {{change_plan.change.price}}, from midnight tonight. Your router already supports the new speed.',
  alreadyOnPlan:
    'Account {{change_plan.alreadyOnPlan.accountNumber}} is already on {{change_plan.alreadyOnPlan.plan}}, so nothing needed changing.',
  planAccountNotFound:
    "Sorry, I couldn't find the account {{change_plan.accountNotFound.accountNumber}}. Please check the number at the top of your bill: it looks like NW123456.",
  planKept: 'No problem: your plan stays as it is. If you change your mind, just ask.',
} as const;

// ---------------------------------------------------------------------------------------------
// Fake network and accounts
// ---------------------------------------------------------------------------------------------

const planKeys = ['basic_50', 'fibre_300', 'fibre_900'] as const;
type PlanKey = (typeof planKeys)[number];

/** The plans, as the `plans` variable and the `change_plan` tool show them. */
const plans: Record<PlanKey, { name: string; speed: string; price: string }> = {
  basic_50: { name: 'Basic 50', speed: '50 Mbps', price: '£24 a month' },
  fibre_300: { name: 'Fibre 300', speed: '300 Mbps', price: '£32 a month' },
  fibre_900: { name: 'Fibre 900', speed: '900 Mbps', price: '£45 a month' },
};

/** Known outages, by the outward code of the postcodes they hit. */
const outages: Record<string, { area: string; since: string; cause: string; eta: string }> = {
  LS6: {
    area: 'Headingley (LS6)',
    since: '07:40 on Monday 15 June',
    cause: 'a fibre cable was damaged by roadworks on Otley Road',
    eta: '15:00 on Monday 15 June',
  },
};

/** Customer accounts and what a line test finds on each line. */
const accounts: Record<
  string,
  { plan: PlanKey; postcode: string; measuredSpeed: string; faultTicket: string | null }
> = {
  NW100001: {
    plan: 'fibre_300',
    postcode: 'LS1 4AP',
    measuredSpeed: '12 Mbps',
    faultTicket: 'NWT-58213',
  },
  NW100002: { plan: 'basic_50', postcode: 'M14 5RQ', measuredSpeed: '48 Mbps', faultTicket: null },
  NW100003: {
    plan: 'fibre_900',
    postcode: 'LS6 2AB',
    measuredSpeed: '870 Mbps',
    faultTicket: null,
  },
};

// ---------------------------------------------------------------------------------------------
// Tools
// ---------------------------------------------------------------------------------------------

const postcode = z
  .string()
  .regex(/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/)
  .describe('A UK postcode in capitals, like LS6 2AB');

const accountNumber = z
  .string()
  .regex(/^NW\d{6}$/)
  .describe('The account number at the top of the bill, like NW123456');

const plan = z.enum(planKeys).meta({
  description: 'The plan to move to',
  extract: {
    synonyms: {
      basic_50: ['basic', 'basic 50', 'cheapest', '50 meg', 'entry plan'],
      fibre_300: ['fibre 300', 'fiber 300', '300 meg'],
      fibre_900: ['gigabit', 'fastest', 'fibre 900', 'fiber 900', '900 meg'],
    },
  },
});

/**
 * The provider's fake systems: `check_outage`, `run_line_test` and `change_plan`, each result
 * one shape per outcome (`{ found: true, outage }` / `{ found: false, clear }`, `{ fault: true,
 * line, ticket }` / `{ fault: false, line }` / `{ accountNotFound }`…). Deterministic: a plan
 * change is answered, not stored, so every scenario starts from the same accounts.
 */
export function createNorthwindTools(): ToolDefinition[] {
  const checkOutage = tool({
    name: 'check_outage',
    description: 'Says whether there is a known network outage at a postcode, and when it ends.',
    parameters: z.object({ postcode }),
    handler: ({ postcode }) => {
      const outward = postcode.replace(/\s+/g, '').slice(0, -3);
      const outage = outages[outward];
      return outage ? { found: true, outage } : { found: false, clear: { postcode } };
    },
  });

  const runLineTest = tool({
    name: 'run_line_test',
    description:
      "Tests an account's line from the exchange; a fault found is booked for repair with a ticket.",
    parameters: z.object({ accountNumber }),
    handler: ({ accountNumber }) => {
      const account = accounts[accountNumber];
      if (!account) return { accountNotFound: { accountNumber } };
      const line = { speed: account.measuredSpeed, plan: plans[account.plan].name };
      if (account.faultTicket === null) return { fault: false, line };
      return {
        fault: true,
        line,
        ticket: {
          number: account.faultTicket,
          engineerVisit: 'Wednesday 17 June, between 8:00 and 13:00',
        },
      };
    },
  });

  const changePlan = tool({
    name: 'change_plan',
    description: 'Moves an account to another plan from midnight tonight.',
    parameters: z.object({ accountNumber, plan }),
    handler: ({ accountNumber, plan }) => {
      const account = accounts[accountNumber];
      if (!account) return { changed: false, accountNotFound: { accountNumber } };
      if (account.plan === plan) {
        return { changed: false, alreadyOnPlan: { accountNumber, plan: plans[plan].name } };
      }
      return {
        changed: true,
        change: {
          accountNumber,
          from: plans[account.plan].name,
          to: plans[plan].name,
          price: plans[plan].price,
        },
      };
    },
  });

  return [checkOutage, runLineTest, changePlan];
}

// ---------------------------------------------------------------------------------------------
// The agent
// ---------------------------------------------------------------------------------------------

/**
 * The Northwind Broadband support assistant: outages by postcode, plans, billing, moving home,
 * the contract, a phone number, and two journeys (slow connection troubleshooting, changing
 * plan). Replies come from its canned responses only (`canned_strict`).
 */
export function createNorthwindBroadband(): AgentDefinition {
  return defineAgent({
    name: northwindAgentName,
    description:
      'The support assistant of Northwind Broadband, a home internet provider: outages, slow connections, plans, billing and moving home.',
    compositionMode: 'canned_strict',
    tools: createNorthwindTools(),
    variables: [
      { name: 'plans', description: 'The broadband plans, speeds and prices', defaultValue: plans },
      {
        name: 'billing',
        description: 'When bills are issued and due, and how to pay',
        defaultValue: {
          issueDay: '1st',
          dueDay: '8th',
          methods:
            'Direct Debit, debit or credit card (in My Northwind or on the phone), or bank transfer to sort code 20-45-77, account 60419283, with your account number as the reference',
        },
      },
      {
        name: 'contract',
        description: 'Contract length and early exit fee',
        defaultValue: {
          minimumTerm: '12-month',
          earlyExitFee: 'half of the monthly price for each month left',
        },
      },
      { name: 'moving', description: 'Moving home', defaultValue: { noticeDays: 14 } },
      {
        name: 'support',
        description: 'Support phone lines',
        defaultValue: {
          phone: '0113 496 0500',
          phoneHours: 'every day from 8:00 to 20:00',
          movingPhone: '0113 496 0544',
        },
      },
    ],
    terms: [
      {
        name: 'account number',
        description: 'The number at the top of every bill, NW and six digits, like NW123456.',
        synonyms: ['customer number', 'account no'],
      },
      {
        name: 'line test',
        description: "A remote test of the line from the exchange to the customer's router.",
        synonyms: ['line check', 'speed check'],
      },
    ],
    guidelines: [
      {
        key: 'greeting',
        condition: 'the customer greets the assistant or says hello',
        action: 'greet them and say what you can help with',
        examples: ['hi', 'hello', 'good afternoon'],
      },
      {
        key: 'thanks_goodbye',
        condition: 'the customer thanks the assistant or says goodbye',
        action: 'say they are welcome and say goodbye',
        examples: ['thanks', 'thank you, bye', "that's all for now"],
      },
      {
        key: 'plans_prices',
        condition: 'the customer asks which broadband plans there are, how fast or how expensive',
        action: 'give the plans with their speeds and prices',
        examples: [
          'what plans do you have?',
          'how much is fibre 900?',
          'what speeds do you offer?',
        ],
      },
      {
        key: 'bill_due_date',
        condition: 'the customer asks when their bill is due or when the payment is taken',
        action: 'say when bills are issued and when the Direct Debit is taken',
        examples: [
          'when is my bill due?',
          'what date do you take the direct debit?',
          'when will I get my bill?',
        ],
      },
      {
        key: 'payment_methods',
        condition: 'the customer asks how they can pay their bill',
        action: 'list the ways to pay',
        examples: ['how can I pay?', 'can I pay by card?', 'do you accept bank transfer?'],
      },
      {
        key: 'moving_home',
        condition: 'the customer is moving house and asks about taking their broadband along',
        action: 'say how much notice to give and how to tell us',
        examples: [
          "I'm moving house",
          'can I take my broadband to my new address?',
          'what happens when I move?',
        ],
      },
      {
        key: 'outage_check',
        condition:
          'the customer asks whether there is an outage or the network is down in their area',
        action: 'check for an outage at their postcode and say what was found',
        tools: ['check_outage'],
        examples: [
          'is there an outage in my area?',
          'is the network down at LS6 2AB?',
          'any problems in my postcode?',
        ],
      },
      {
        key: 'contract_terms',
        condition: 'the customer asks how long the contract is or what leaving early costs',
        action: 'give the minimum term and the early exit fee',
        examples: ['how long is the contract?', 'can I cancel anytime?', 'is there an exit fee?'],
      },
      {
        key: 'speak_to_person',
        condition: 'the customer wants to speak to a person or asks for the phone number',
        action: 'give the support phone number and its hours',
        examples: [
          'can I talk to a human?',
          'what is your phone number?',
          'I want to speak to someone',
        ],
      },
    ],
    journeys: [
      {
        key: 'slow_connection',
        title: 'Slow connection',
        description:
          'Troubleshoots a slow connection: a router restart first, then a line test that books a repair when it finds a fault.',
        conditions: [
          'the customer says their internet or broadband is slow',
          'the connection keeps dropping, buffering or cutting out',
          'the customer says "my broadband is really slow" or "the wifi is painfully slow"',
        ],
        initialState: 'ask_restart',
        states: [
          {
            key: 'ask_restart',
            kind: 'chat',
            action: 'Ask them to restart the router and say whether it is still slow',
          },
          {
            key: 'ask_account',
            kind: 'chat',
            action: 'Say you will run a line test and ask for the account number',
          },
          { key: 'fixed', kind: 'chat', action: 'Say you are glad it works again' },
          { key: 'line_test', kind: 'tool', tool: 'run_line_test' },
          { key: 'line_checked', kind: 'fork' },
          {
            key: 'fault_booked',
            kind: 'chat',
            action: 'Say a fault was found and a repair booked, with the ticket number and visit',
          },
          {
            key: 'no_fault',
            kind: 'chat',
            action: 'Say the line has no fault and give home Wi-Fi tips',
          },
          {
            key: 'account_not_found',
            kind: 'chat',
            action: 'Say no account has that number and ask them to check it',
          },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'ask_restart',
            to: 'ask_account',
            condition: 'the customer says it is still slow after restarting the router',
          },
          {
            from: 'ask_restart',
            to: 'fixed',
            condition: 'the customer says the restart fixed it and it is fast again',
          },
          {
            from: 'ask_account',
            to: 'line_test',
            condition: 'the customer gives their account number',
          },
          { from: 'line_test', to: 'line_checked' },
          {
            from: 'line_checked',
            to: 'fault_booked',
            condition: 'the line test found a fault',
            when: { path: 'run_line_test.fault', equals: true },
          },
          {
            from: 'line_checked',
            to: 'no_fault',
            condition: 'the line test found no fault',
            when: { path: 'run_line_test.fault', equals: false },
          },
          {
            from: 'line_checked',
            to: 'account_not_found',
            condition: 'no account has that number',
            when: { path: 'run_line_test.accountNotFound', exists: true },
          },
          {
            from: 'account_not_found',
            to: 'line_test',
            condition: 'the customer gives another account number',
          },
          { from: 'fixed', to: 'done' },
          { from: 'fault_booked', to: 'done' },
          { from: 'no_fault', to: 'done' },
        ],
      },
      {
        key: 'upgrade_plan',
        title: 'Change plan',
        description: 'Moves an account to the plan the customer chooses.',
        conditions: [
          'the customer wants to upgrade or change their broadband plan',
          'the customer wants a faster plan, a cheaper plan, or to switch to another plan',
        ],
        initialState: 'ask_plan',
        states: [
          {
            key: 'ask_plan',
            kind: 'chat',
            action: 'Ask which plan they would like, with the prices',
          },
          { key: 'ask_account', kind: 'chat', action: 'Ask for the account number' },
          { key: 'change', kind: 'tool', tool: 'change_plan' },
          { key: 'change_checked', kind: 'fork' },
          {
            key: 'plan_changed',
            kind: 'chat',
            action: 'Confirm the new plan, its price and when it starts',
          },
          {
            key: 'already_on_plan',
            kind: 'chat',
            action: 'Say the account is already on that plan',
          },
          {
            key: 'account_not_found',
            kind: 'chat',
            action: 'Say no account has that number and ask them to check it',
          },
          { key: 'plan_kept', kind: 'chat', action: 'Say the plan stays as it is' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'ask_plan',
            to: 'ask_account',
            condition: 'the customer names the plan they want: Basic 50, Fibre 300 or Fibre 900',
          },
          {
            from: 'ask_plan',
            to: 'plan_kept',
            condition: 'the customer decides to keep their current plan',
          },
          {
            from: 'ask_account',
            to: 'change',
            condition: 'the customer gives their account number',
          },
          {
            from: 'ask_account',
            to: 'plan_kept',
            condition: 'the customer changes their mind and keeps their plan',
          },
          { from: 'change', to: 'change_checked' },
          {
            from: 'change_checked',
            to: 'plan_changed',
            condition: 'the plan was changed',
            when: { path: 'change_plan.changed', equals: true },
          },
          {
            from: 'change_checked',
            to: 'already_on_plan',
            condition: 'the account is already on that plan',
            when: { path: 'change_plan.alreadyOnPlan', exists: true },
          },
          {
            from: 'change_checked',
            to: 'account_not_found',
            condition: 'no account has that number',
            when: { path: 'change_plan.accountNotFound', exists: true },
          },
          {
            from: 'account_not_found',
            to: 'change',
            condition: 'the customer gives another account number',
          },
          { from: 'plan_changed', to: 'done' },
          { from: 'already_on_plan', to: 'done' },
          { from: 'plan_kept', to: 'done' },
        ],
      },
    ],
    cannedResponses: Object.values(northwindTemplates).map((template) => ({ template })),
  });
}
