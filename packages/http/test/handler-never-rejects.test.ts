import { createPgliteStore, type PgliteStore } from '@parley/core/pglite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HandlerLogger } from '../src/index';
import { basePath, createHandlerKit, type HandlerKit } from './handler-kit';

/**
 * Issue 9: the handler's promise must never reject, whatever throws while it handles a
 * request (the URL, the headers, the store, the logger): a Next.js or Hono host has no
 * adapter of ours around it to catch a rejection. Each failure answers the 500 envelope with
 * `x-request-id`, and is logged with that id.
 */

interface Envelope {
  error: { code: string; message: string; requestId: string };
}

/** A logger that records each line, and whose `info` may be made to throw. */
function createRecordingLogger(options: { infoThrows?: boolean; errorThrows?: boolean } = {}) {
  const errors: Array<Record<string, unknown>> = [];
  const logger: HandlerLogger = {
    info() {
      if (options.infoThrows) throw new Error('the log sink is full');
    },
    error(fields) {
      errors.push(fields);
      if (options.errorThrows) throw new Error('the log sink is gone');
    },
  };
  return { logger, errors };
}

async function expectInternalEnvelope(response: Response): Promise<string> {
  expect(response.status).toBe(500);
  const requestId = response.headers.get('x-request-id');
  expect(requestId).toBeTruthy();
  expect(response.headers.get('content-type')).toContain('application/json');
  const envelope = (await response.json()) as Envelope;
  expect(envelope.error).toMatchObject({ code: 'internal', message: 'Internal error', requestId });
  return requestId as string;
}

let store: PgliteStore;
beforeAll(async () => {
  store = await createPgliteStore();
});
afterAll(async () => {
  await store?.close();
});

describe('the handler never rejects', () => {
  let kit: HandlerKit | undefined;
  afterAll(async () => {
    await kit?.close();
  });

  it('keeps its answers when its logger throws: the logger never decides a response', async () => {
    const { logger } = createRecordingLogger({ infoThrows: true, errorThrows: true });
    kit = await createHandlerKit({ store, handler: { logger } });
    const response = await kit.call('GET', '/v1/health', {
      headers: { 'x-request-id': 'logger-throws-1' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('logger-throws-1');
    expect(await response.json()).toMatchObject({ status: 'healthy' });
    // A refusal is logged too: the logger throwing again must not change it either.
    const refused = await kit.call('GET', '/v1/nothing-here');
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({
      error: { code: 'not_found', requestId: refused.headers.get('x-request-id') },
    });
    await kit.close();
    kit = undefined;
  });

  it('answers 500 when the store throws something that is not a ParleyError', async () => {
    const { logger, errors } = createRecordingLogger();
    kit = await createHandlerKit({ store, handler: { logger } });
    const lookup = vi
      .spyOn(store, 'findAgentKeyByHash')
      .mockRejectedValue(new TypeError("Cannot read properties of undefined (reading 'rows')"));
    try {
      const response = await kit.call('POST', '/v1/sessions', {
        body: { agentKey: 'pk_a_key_that_looks_right' },
      });
      const requestId = await expectInternalEnvelope(response);
      expect(errors).toEqual([
        expect.objectContaining({ requestId, error: expect.stringContaining('rows') }),
      ]);
    } finally {
      lookup.mockRestore();
      await kit.close();
      kit = undefined;
    }
  });

  it('answers 500 when the thrown value cannot even be printed and the error log throws', async () => {
    const { logger } = createRecordingLogger({ errorThrows: true });
    kit = await createHandlerKit({ store, handler: { logger } });
    // `String()` of an object without a prototype throws: the failure path must not.
    const lookup = vi.spyOn(store, 'findAgentKeyByHash').mockRejectedValue(Object.create(null));
    try {
      const response = await kit.call('POST', '/v1/sessions', {
        body: { agentKey: 'pk_a_key_that_looks_right' },
      });
      await expectInternalEnvelope(response);
    } finally {
      lookup.mockRestore();
      await kit.close();
      kit = undefined;
    }
  });

  it('answers 500 for a request whose URL or headers cannot be read', async () => {
    const { logger, errors } = createRecordingLogger();
    kit = await createHandlerKit({ store, handler: { logger } });
    // What a host's own Request wrapper might do: before, `new URL(request.url)` rejected.
    class UnreadableUrl extends Request {
      override get url(): string {
        return 'not a URL';
      }
    }
    class UnreadableHeaders extends Request {
      override get headers(): Headers {
        throw new Error('headers are gone');
      }
    }
    const target = `http://localhost${basePath}/v1/health`;
    const badUrl = await kit.handler(new UnreadableUrl(target));
    await expectInternalEnvelope(badUrl);
    const badHeaders = await kit.handler(new UnreadableHeaders(target));
    const requestId = await expectInternalEnvelope(badHeaders);
    expect(errors.map((fields) => fields.requestId)).toEqual([
      badUrl.headers.get('x-request-id'),
      requestId,
    ]);
    await kit.close();
    kit = undefined;
  });
});
