import {
  createNorthwindBroadband,
  northwindTemplates as reply,
} from './agents/northwind-broadband';
import type { EvaluationSuite } from './evaluation-suite-types';

// Labelled before any run: each expectation is what a competent support agent, answering only
// with the provider's canned responses, would do. Unless a scenario says otherwise it happens
// on Monday 15 June 2026 at 09:00 UTC. The fake accounts: NW100001 (Fibre 300, a line fault),
// NW100002 (Basic 50, no fault), NW100003 (Fibre 900, no fault); an outage hits LS6 postcodes.

const slow = (state: string) => ({ journey: 'slow_connection', state });
const upgrading = (state: string) => ({ journey: 'upgrade_plan', state });

/** The Northwind Broadband support assistant and its labelled conversations. */
export const northwindBroadbandSuite: EvaluationSuite = {
  name: 'Northwind Broadband',
  agent: createNorthwindBroadband(),
  scenarios: [
    {
      name: 'evening greeting and the plans',
      at: '2026-06-15T19:20:00Z',
      turns: [
        { customer: 'Good evening', expect: { cannedResponse: reply.greeting, tools: [] } },
        {
          customer: 'what packages have you got and how much are they',
          expect: { cannedResponse: reply.plans, guidelines: ['plans_prices'], journey: null },
        },
        // Leans on the turn before: the plans again.
        { customer: 'is the fastest one really 900?', expect: { cannedResponse: reply.plans } },
        { customer: 'ok nice one, bye', expect: { cannedResponse: reply.goodbye } },
      ],
    },
    {
      name: 'outage at a postcode, then when it ends',
      turns: [
        {
          customer: 'is the internet down around LS6 2AB? nothing is loading',
          expect: {
            cannedResponse: reply.outageFound,
            tools: [{ name: 'check_outage', arguments: { postcode: 'LS6 2AB' } }],
            guidelines: ['outage_check'],
          },
        },
        // The outage reply already says when it should be fixed.
        { customer: 'when will it be back?', expect: { cannedResponse: reply.outageFound } },
        { customer: 'thanks for letting me know', expect: { cannedResponse: reply.goodbye } },
      ],
    },
    {
      name: 'outage: the postcode asked for, then two postcodes',
      turns: [
        {
          customer: 'r u having any network problems right now?',
          expect: { cannedResponse: reply.askPostcode, tools: [], journey: null },
        },
        {
          customer: 'M14 5RQ',
          expect: {
            cannedResponse: reply.outageClear,
            tools: [{ name: 'check_outage', arguments: { postcode: 'M14 5RQ' } }],
          },
        },
        {
          customer: "ok so what about ls6 2ab, my mum's place",
          expect: {
            cannedResponse: reply.outageFound,
            tools: [{ name: 'check_outage', arguments: { postcode: 'LS6 2AB' } }],
          },
        },
      ],
    },
    {
      name: 'slow connection step by step, a fault found',
      turns: [
        {
          customer: 'my broadband has been crawling all evening',
          expect: { cannedResponse: reply.askRestart, tools: [], journey: slow('ask_restart') },
        },
        {
          customer: 'done that, still really slow',
          expect: {
            cannedResponse: reply.askAccountForLineTest,
            tools: [],
            journey: slow('ask_account'),
          },
        },
        {
          customer: 'NW100001',
          expect: {
            cannedResponse: reply.faultBooked,
            tools: [{ name: 'run_line_test', arguments: { accountNumber: 'NW100001' } }],
            journey: slow('fault_booked'),
          },
        },
        {
          customer: 'brilliant, thanks a lot',
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'slow connection fixed by the restart',
      turns: [
        {
          customer: 'netflix keeps buffering and pages take ages to load',
          expect: { cannedResponse: reply.askRestart, tools: [], journey: slow('ask_restart') },
        },
        {
          customer: "oh that did it, it's quick again",
          expect: { cannedResponse: reply.fixedByRestart, tools: [], journey: slow('fixed') },
        },
        { customer: 'bye!', expect: { cannedResponse: reply.goodbye, journey: null } },
      ],
    },
    {
      name: 'slow connection after a restart: an unknown account, then no fault',
      turns: [
        {
          // The restart is already done: straight to the line test's question.
          customer: "I've already restarted the router twice and the speed is still terrible",
          expect: {
            cannedResponse: reply.askAccountForLineTest,
            tools: [],
            journey: slow('ask_account'),
          },
        },
        {
          customer: "it's NW100009",
          expect: {
            cannedResponse: reply.lineTestAccountNotFound,
            tools: [{ name: 'run_line_test', arguments: { accountNumber: 'NW100009' } }],
            journey: slow('account_not_found'),
          },
        },
        {
          customer: 'sorry my mistake, NW100002',
          expect: {
            cannedResponse: reply.noFault,
            tools: [{ name: 'run_line_test', arguments: { accountNumber: 'NW100002' } }],
            journey: slow('no_fault'),
          },
        },
      ],
    },
    {
      name: 'slow connection with everything in the first message',
      turns: [
        {
          customer: 'wifi is super slow even after rebooting the router, account NW100003',
          expect: {
            cannedResponse: reply.noFault,
            tools: [{ name: 'run_line_test', arguments: { accountNumber: 'NW100003' } }],
            journey: slow('no_fault'),
          },
        },
        {
          customer: 'what other plans are there?',
          expect: { cannedResponse: reply.plans, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'slow connection with a billing question on the way',
      turns: [
        {
          customer: 'the internet goes off every few minutes then comes back',
          expect: { cannedResponse: reply.askRestart, tools: [], journey: slow('ask_restart') },
        },
        {
          customer: "before I do that, when's my next bill due btw?",
          expect: { cannedResponse: reply.billDueDate, tools: [], journey: slow('ask_restart') },
        },
        {
          customer: 'restarted it, no difference at all',
          expect: {
            cannedResponse: reply.askAccountForLineTest,
            tools: [],
            journey: slow('ask_account'),
          },
        },
        {
          customer: 'account no. is NW100001',
          expect: {
            cannedResponse: reply.faultBooked,
            tools: [{ name: 'run_line_test', arguments: { accountNumber: 'NW100001' } }],
            journey: slow('fault_booked'),
          },
        },
      ],
    },
    {
      name: 'outage first, then troubleshooting',
      turns: [
        {
          customer: 'is there an outage at LS1 4AP? my speed is awful',
          expect: {
            cannedResponse: reply.outageClear,
            tools: [{ name: 'check_outage', arguments: { postcode: 'LS1 4AP' } }],
          },
        },
        {
          customer: "ok then what do I do, it's still so slow",
          expect: { cannedResponse: reply.askRestart, tools: [], journey: slow('ask_restart') },
        },
      ],
    },
    {
      name: 'upgrading step by step',
      turns: [
        {
          customer: 'I want to upgrade my broadband',
          expect: { cannedResponse: reply.askPlan, tools: [], journey: upgrading('ask_plan') },
        },
        {
          customer: 'the gigabit one',
          expect: {
            cannedResponse: reply.askAccountForPlan,
            tools: [],
            journey: upgrading('ask_account'),
          },
        },
        {
          customer: 'NW100002',
          expect: {
            cannedResponse: reply.planChanged,
            tools: [
              { name: 'change_plan', arguments: { accountNumber: 'NW100002', plan: 'fibre_900' } },
            ],
            journey: upgrading('plan_changed'),
          },
        },
        {
          customer: 'great stuff, thank you',
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'switching to the plan the account already has, with a side question',
      turns: [
        {
          customer: 'can I switch to fibre 300?',
          expect: {
            cannedResponse: reply.askAccountForPlan,
            tools: [],
            journey: upgrading('ask_account'),
          },
        },
        {
          customer: "what's the minimum contract on that?",
          expect: { cannedResponse: reply.contract, tools: [], journey: upgrading('ask_account') },
        },
        {
          customer: 'my account is NW100001',
          expect: {
            cannedResponse: reply.alreadyOnPlan,
            tools: [
              { name: 'change_plan', arguments: { accountNumber: 'NW100001', plan: 'fibre_300' } },
            ],
            journey: upgrading('already_on_plan'),
          },
        },
      ],
    },
    {
      name: 'upgrading with everything in the first message',
      turns: [
        {
          customer: 'please upgrade account NW100002 to the 300 meg fibre',
          expect: {
            cannedResponse: reply.planChanged,
            tools: [
              { name: 'change_plan', arguments: { accountNumber: 'NW100002', plan: 'fibre_300' } },
            ],
            journey: upgrading('plan_changed'),
          },
        },
        {
          customer: 'how do I pay for it, can I use a credit card?',
          expect: { cannedResponse: reply.paymentMethods, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'upgrading to fibre nine hundred',
      turns: [
        {
          customer: 'upgrade to fibre nine hundred please, account NW100001',
          expect: {
            cannedResponse: reply.planChanged,
            tools: [
              { name: 'change_plan', arguments: { accountNumber: 'NW100001', plan: 'fibre_900' } },
            ],
            journey: upgrading('plan_changed'),
          },
        },
        { customer: 'cheers mate', expect: { cannedResponse: reply.goodbye, journey: null } },
      ],
    },
    {
      name: 'downgrading: an unknown account, then the right one',
      turns: [
        {
          customer: "I'd like a cheaper package, the basic one",
          expect: {
            cannedResponse: reply.askAccountForPlan,
            tools: [],
            journey: upgrading('ask_account'),
          },
        },
        {
          customer: 'NW100099',
          expect: {
            cannedResponse: reply.planAccountNotFound,
            tools: [
              { name: 'change_plan', arguments: { accountNumber: 'NW100099', plan: 'basic_50' } },
            ],
            journey: upgrading('account_not_found'),
          },
        },
        {
          customer: "oops, it's NW100003",
          expect: {
            cannedResponse: reply.planChanged,
            tools: [
              { name: 'change_plan', arguments: { accountNumber: 'NW100003', plan: 'basic_50' } },
            ],
            journey: upgrading('plan_changed'),
          },
        },
      ],
    },
    {
      name: 'thinking of changing plan, then keeping it',
      turns: [
        {
          customer: 'thinking of changing my plan',
          expect: { cannedResponse: reply.askPlan, tools: [], journey: upgrading('ask_plan') },
        },
        {
          customer: "what's the difference in speed between them?",
          expect: { cannedResponse: reply.plans, tools: [], journey: upgrading('ask_plan') },
        },
        {
          customer: "nah, I'll stay on what I have for now",
          expect: { cannedResponse: reply.planKept, tools: [], journey: upgrading('plan_kept') },
        },
      ],
    },
    {
      name: 'billing questions',
      turns: [
        {
          customer: 'what day does the money come out of my account each month?',
          expect: { cannedResponse: reply.billDueDate, guidelines: ['bill_due_date'] },
        },
        {
          // Not a method they take: the list of methods is the honest answer.
          customer: 'can I pay with paypal instead?',
          expect: { cannedResponse: reply.paymentMethods, guidelines: ['payment_methods'] },
        },
        // Late payment is in no canned response.
        { customer: 'and what happens if I pay late?', expect: { fallback: true } },
      ],
    },
    {
      name: 'moving home',
      turns: [
        {
          customer: "we're relocating to Manchester next month, can the broadband come with us?",
          expect: { cannedResponse: reply.movingHome, guidelines: ['moving_home'], journey: null },
        },
        { customer: 'how much notice do you need?', expect: { cannedResponse: reply.movingHome } },
      ],
    },
    {
      name: 'out of scope',
      turns: [
        {
          customer: 'can you recommend a good gaming router?',
          expect: { fallback: true, tools: [], journey: null },
        },
        { customer: 'do you sell mobile phone contracts?', expect: { fallback: true } },
        { customer: "what's the score in the England match", expect: { fallback: true } },
        { customer: 'Do you offer TV packages?', expect: { fallback: true, journey: null } },
      ],
    },
    {
      name: 'a real person, then the contract',
      turns: [
        {
          customer: 'this bot is useless, give me a real person',
          expect: { cannedResponse: reply.speakToPerson, guidelines: ['speak_to_person'] },
        },
        {
          customer: 'what hours are they around?',
          expect: { cannedResponse: reply.speakToPerson },
        },
        {
          customer: 'how much does it cost to leave before my contract ends',
          expect: { cannedResponse: reply.contract, guidelines: ['contract_terms'] },
        },
      ],
    },
    {
      name: 'hey, an outage check with a typo, goodbye',
      turns: [
        { customer: 'Hey!', expect: { cannedResponse: reply.greeting } },
        {
          customer: 'yo, is there a outage in LS1 4AP',
          expect: {
            cannedResponse: reply.outageClear,
            tools: [{ name: 'check_outage', arguments: { postcode: 'LS1 4AP' } }],
          },
        },
        { customer: "ok that's everything, bye!", expect: { cannedResponse: reply.goodbye } },
      ],
    },
  ],
};
