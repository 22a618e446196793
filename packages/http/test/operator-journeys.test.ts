import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerKit, type HandlerKit, operatorToken } from './handler-kit';

const workspaceId = 'journey-routes-workspace';
let kit: HandlerKit;
let token: string;
let agentId: string;
let toolId: string;

/** Calls an operator route and returns its JSON, failing on any other status than `status`. */
async function json(method: string, path: string, body?: unknown, status = 200): Promise<unknown> {
  const response = await kit.call(method, path, { token, body });
  const text = await response.text();
  expect(response.status, `${method} ${path}: ${text}`).toBe(status);
  return JSON.parse(text);
}

/** A booking journey whose fork leaves by `when` predicates on the availability check. */
function bookingDocument(when: { free: unknown; full: unknown }) {
  return {
    title: 'Book a table',
    conditions: ['the customer wants to book a table'],
    initialState: 'check',
    states: [
      { key: 'check', kind: 'tool', toolId },
      { key: 'decide', kind: 'fork' },
      { key: 'confirm', kind: 'chat', action: 'confirm the booking' },
      { key: 'full', kind: 'chat', action: 'say no table is free' },
      { key: 'done', kind: 'end' },
    ],
    transitions: [
      { from: 'check', to: 'decide' },
      { from: 'decide', to: 'confirm', condition: 'a table is free', when: when.free },
      { from: 'decide', to: 'full', when: when.full },
      { from: 'confirm', to: 'done' },
      { from: 'full', to: 'done' },
    ],
  };
}

type JourneyBody = { id: string; transitions: Array<{ from: string; to: string; when: unknown }> };
type ErrorBody = {
  error: { code: string; message: string; details: { issues: Array<{ path: string }> } };
};

describe("operator journey routes carry a transition's `when`", () => {
  beforeAll(async () => {
    kit = await createHandlerKit();
    token = await operatorToken({ workspaceId });
    agentId = ((await json('POST', '/v1/agents', { name: 'Bookings' }, 201)) as { id: string }).id;
    toolId = (
      (await json(
        'POST',
        `/v1/agents/${agentId}/tools`,
        { name: 'check_availability', description: 'Checks tables' },
        201,
      )) as { id: string }
    ).id;
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('round-trips `when` through create, read and replace', async () => {
    const free = { path: 'check_availability.slot', equals: { time: '19:30', seats: 4 } };
    const full = { path: 'check_availability.slot.time', exists: false };
    const created = (await json(
      'POST',
      `/v1/agents/${agentId}/journeys`,
      bookingDocument({ free, full }),
      201,
    )) as JourneyBody;
    expect(created.transitions.map((transition) => transition.when)).toEqual([
      null,
      free,
      full,
      null,
      null,
    ]);
    expect(await json('GET', `/v1/agents/${agentId}/journeys/${created.id}`)).toEqual(created);

    const replaced = (await json(
      'PUT',
      `/v1/agents/${agentId}/journeys/${created.id}`,
      bookingDocument({ free: null, full: { path: 'check_availability.found', equals: false } }),
    )) as JourneyBody;
    expect(replaced.transitions.map((transition) => transition.when)).toEqual([
      null,
      null,
      { path: 'check_availability.found', equals: false },
      null,
      null,
    ]);
  });

  it('refuses a malformed `when` with a 400 that says what is wrong', async () => {
    const both = (await json(
      'POST',
      `/v1/agents/${agentId}/journeys`,
      bookingDocument({
        free: { path: 'check_availability.found', equals: true, exists: true },
        full: null,
      }),
      400,
    )) as ErrorBody;
    expect(both.error.code).toBe('validation_failed');
    expect(both.error.details.issues.map((issue) => issue.path)).toEqual(['transitions.1.when']);
    expect(both.error.message).toContain(
      'exactly one of "equals" (any JSON value) and "exists" (true or false)',
    );

    const path = (await json(
      'POST',
      `/v1/agents/${agentId}/journeys`,
      bookingDocument({ free: null, full: { path: 'check availability', exists: true } }),
      400,
    )) as ErrorBody;
    expect(path.error.details.issues.map((issue) => issue.path)).toEqual([
      'transitions.2.when.path',
    ]);
    expect(path.error.message).toContain('must be a tool name, then a dot path into its result');
    // Only the journey of the round trip: the refused ones wrote nothing.
    const listed = (await json('GET', `/v1/agents/${agentId}/journeys`)) as { items: unknown[] };
    expect(listed.items).toHaveLength(1);
  });
});
