import { signOperatorToken } from '../../examples/quickstart/src/operator-token.ts';

/**
 * The operator API of the quickstart with no LLM, as a site's owner uses it (README, "Operator
 * token"): tokens signed with the operator secret the Playwright config gave that server
 * (`PARLEY_E2E_OPERATOR_SECRET`), here to issue the sample agent keys for pages the tests serve
 * from other origins, and to revoke them.
 */
export interface OperatorApi {
  /** Issues a publishable key of the sample agent for `allowedOrigins`. */
  issueKey(allowedOrigins: string[]): Promise<IssuedKey>;
  /** Revokes a key issued here. */
  revokeKey(key: IssuedKey): Promise<void>;
}

/** A key the operator API issued: its id, and its secret (`pk_…`), shown once. */
export interface IssuedKey {
  id: string;
  agentId: string;
  secret: string;
}

/** The operator API of the quickstart at `baseURL`. */
export function operatorApi(baseURL: string): OperatorApi {
  const secret = process.env.PARLEY_E2E_OPERATOR_SECRET;
  if (!secret) {
    throw new Error(
      'PARLEY_E2E_OPERATOR_SECRET is not set: run the tests with playwright.config.ts',
    );
  }
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const token = await signOperatorToken({ secret: secret as string, ttlSeconds: 600 });
    const response = await fetch(`${baseURL}/api/parley${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    }
    return response.json();
  }
  let agentId: Promise<string> | undefined;
  const sampleAgent = () => {
    agentId ??= (call('GET', '/v1/agents') as Promise<{ items: Array<{ id: string }> }>).then(
      ({ items }) => {
        if (items.length !== 1) throw new Error(`Expected one agent, found ${items.length}`);
        return (items[0] as { id: string }).id;
      },
    );
    return agentId;
  };
  return {
    async issueKey(allowedOrigins) {
      const agent = await sampleAgent();
      const issued = (await call('POST', `/v1/agents/${agent}/keys`, {
        name: 'End-to-end page',
        allowedOrigins,
      })) as { id: string; secret: string };
      return { id: issued.id, agentId: agent, secret: issued.secret };
    },
    async revokeKey(key) {
      await call('DELETE', `/v1/agents/${key.agentId}/keys/${key.id}`);
    },
  };
}
