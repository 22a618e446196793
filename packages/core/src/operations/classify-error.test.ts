import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors/parley-error';
import { classifyError, type ErrorOrigin, sanitizeErrorMessage } from './classify-error';

const request: ErrorOrigin = { source: 'request', where: 'POST /v1/sessions/:sessionId/events' };

describe('classifyError', () => {
  it('sorts failures into the categories and levels of the operations contract', () => {
    const of = (error: unknown, origin: ErrorOrigin = request) => {
      const classified = classifyError(error, origin);
      return classified && [classified.category, classified.level];
    };
    expect(of(new ParleyError('unauthenticated', 'expired', { reason: 'token_expired' }))).toEqual([
      'authentication',
      'warning',
    ]);
    expect(of(new ParleyError('forbidden', 'not this origin'))).toEqual([
      'authentication',
      'warning',
    ]);
    expect(of(new ParleyError('validation_failed', 'name is required'))).toEqual([
      'user',
      'warning',
    ]);
    expect(of(new ParleyError('rate_limited', 'slow down'))).toEqual(['user', 'warning']);
    expect(of(new ParleyError('database_failed', 'unavailable'))).toEqual(['database', 'error']);
    expect(of(new ParleyError('model_failed', 'overloaded'), { source: 'turn' })).toEqual([
      'integration',
      'error',
    ]);
    expect(of(new ParleyError('tool_failed', 'refund failed'), { source: 'tool' })).toEqual([
      'integration',
      'error',
    ]);
    expect(of(new ParleyError('not_found', 'agent gone'), { source: 'turn' })).toEqual([
      'user',
      'warning',
    ]);
    expect(of(new ParleyError('internal', 'bug'), { source: 'turn' })).toEqual([
      'agent',
      'critical',
    ]);
    expect(of(new ParleyError('not_ready', 'closing'), { source: 'turn' })).toEqual([
      'agent',
      'error',
    ]);
    expect(of(new TypeError('x is undefined'))).toEqual(['system', 'critical']);
    expect(of(new ParleyError('not_ready', 'shutting down'))).toEqual(['system', 'warning']);
    // Someone stopped the turn or went away: nothing failed.
    expect(of(new ParleyError('cancelled', 'stopped'))).toBeNull();
  });

  it('groups repeats that differ only in ids, numbers and quoted values, and nothing else', () => {
    const fingerprint = (message: string, origin: ErrorOrigin = request) =>
      classifyError(new ParleyError('database_failed', message), origin)?.fingerprint;
    const first = fingerprint(
      'the database failed to read the session 1b6f0c1e-7a52-4a5e-9a1d-0d5f2c9e8b11',
    );
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(
      fingerprint('the database failed to read the session 5e0c3f2a-1b7d-4c9e-8f6a-2d4b6c8e0a13'),
    ).toBe(first);
    expect(fingerprint('timed out after 5000 ms')).toBe(fingerprint('timed out after 120 ms'));
    expect(fingerprint('the database failed to write the event')).not.toBe(first);
    expect(
      fingerprint('the database failed to read the session 1b6f0c1e-7a52-4a5e-9a1d-0d5f2c9e8b11', {
        source: 'request',
        where: 'GET /v1/agents',
      }),
    ).not.toBe(first);
  });
});

describe('sanitizeErrorMessage', () => {
  it('takes tokens, keys, credentials, emails and addresses out, and keeps the rest', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl';
    const message = sanitizeErrorMessage(
      `refused ${jwt} and pk_live_0123456789abcdef, Bearer sk_abcdef0123456789 from ada@example.com ` +
        'at postgres://parley:hunter2@10.0.0.5:5432/app',
    );
    expect(message).toBe(
      'refused [token] and [key], Bearer [redacted] from [email] at [scheme]://[credentials]@[address]/app',
    );
    for (const secret of [jwt, 'pk_live', 'sk_abc', 'hunter2', 'ada@', '10.0.0.5']) {
      expect(message).not.toContain(secret);
    }
    expect(sanitizeErrorMessage('x'.repeat(500))).toHaveLength(300);
  });
});
