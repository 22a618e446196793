import { describe, expect, it } from 'vitest';
import type { Tool } from '../domain/tool';
import { argumentEvidence } from './argument-evidence';

const toolWith = (parameters: Record<string, unknown>): Tool =>
  ({ id: 'tool-1', name: 'check_availability', parameters }) as unknown as Tool;

const availability = toolWith({
  type: 'object',
  properties: {
    treatment: { type: 'string', enum: ['check-up', 'hygiene', 'whitening', 'filling'] },
    day: { type: 'string', format: 'date' },
  },
  required: ['treatment', 'day'],
});
const now = new Date('2026-06-15T09:00:00Z');

describe('argumentEvidence', () => {
  it('is the share of required arguments the message gives', () => {
    expect(argumentEvidence([availability], 'can I book teeth whitening?', now)).toBe(0.5);
    expect(argumentEvidence([availability], 'a filling tomorrow please', now)).toBe(1);
    expect(argumentEvidence([availability], 'where do I park?', now)).toBe(0);
  });

  it('takes the best of several tools, and ignores tools without parameters', () => {
    const reference = toolWith({
      type: 'object',
      properties: { reference: { type: 'string', pattern: 'BS-\\d{4}' } },
      required: ['reference'],
    });
    const none = toolWith({ type: 'object', properties: {} });
    expect(argumentEvidence([availability, reference, none], 'my booking is BS-1042', now)).toBe(1);
    expect(argumentEvidence([none], 'anything', now)).toBe(0);
  });
});
