import { ParleyError } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { createErrorResponse } from './error-response';

describe('createErrorResponse', () => {
  it('answers a ParleyError with its status, code, message and the request id', async () => {
    const error = new ParleyError('not_found', 'agent not found', { details: { entity: 'agent' } });
    const response = createErrorResponse(error, 'request-1');
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('request-1');
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({
      error: {
        code: 'not_found',
        message: 'agent not found',
        details: { entity: 'agent' },
        requestId: 'request-1',
      },
    });
  });

  it('maps each code to its status', () => {
    const cases = [
      ['validation_failed', 400],
      ['unauthenticated', 401],
      ['forbidden', 403],
      ['conflict', 409],
      ['payload_too_large', 413],
      ['unsupported_media_type', 415],
      ['rate_limited', 429],
      ['not_ready', 503],
    ] as const;
    for (const [code, status] of cases) {
      expect(createErrorResponse(new ParleyError(code, code), 'r').status).toBe(status);
    }
  });

  it('hides the internals of an unexpected error', async () => {
    const response = createErrorResponse(
      new Error('connection string postgres://secret@db'),
      'request-2',
    );
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).not.toContain('secret');
    expect(JSON.parse(body)).toEqual({
      error: { code: 'internal', message: 'Internal error', requestId: 'request-2' },
    });
  });
});
