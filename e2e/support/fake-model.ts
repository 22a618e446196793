import type { ControlledRequest, FakeFailure, FakeResponse } from '@parley/core/testing';

/**
 * A fake OpenAI server behind a server under test, scripted through its control port
 * (`startFakeOpenAIControlServer`: the second quickstart's is `e2e/servers/serve-fake-openai.ts`,
 * the Sim host's is started by `examples/sim-host/e2e/serve.ts`). With a model, each turn of
 * the sample agent asks for one guideline judgement (structured output), then streams the reply.
 */
export interface FakeModel {
  /**
   * Queues one turn: a judgement that matches nothing (no guideline, journey or canned reply,
   * so no tool runs and the model writes the reply), then `reply`.
   */
  queueTurn(reply: FakeResponse): Promise<void>;
  /** Queues one chat completion: a judgement, tool calls or a reply, used in order. */
  enqueue(response: FakeResponse): Promise<void>;
  /** Makes the next `count` requests fail with `failure`. */
  failNext(failure: FakeFailure, count?: number): Promise<void>;
  /** The purposes of the requests received so far (`guideline_judgement`, `text`…). */
  requests(): Promise<string[]>;
  /** The requests received so far, each with its path, purpose and body. */
  recorded(): Promise<ControlledRequest[]>;
}

/** The judgement of a turn that matches nothing the agent knows. */
const nothingMatches = {
  guidelines: [],
  journey: { id: null, nextState: null },
  cannedResponse: null,
};

/** The fake model whose control server is at `controlUrl`. */
export function fakeModelAt(controlUrl: string): FakeModel {
  async function call(path: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${controlUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`Fake model ${path} answered ${response.status}`);
    return response;
  }
  async function recorded(): Promise<ControlledRequest[]> {
    const { requests } = (await (await call('/requests')).json()) as {
      requests: ControlledRequest[];
    };
    return requests;
  }
  return {
    async queueTurn(reply) {
      await call('/enqueue', { json: nothingMatches });
      await call('/enqueue', reply);
    },
    async enqueue(response) {
      await call('/enqueue', response);
    },
    async failNext(failure, count = 1) {
      for (let index = 0; index < count; index += 1) await call('/fail-next', failure);
    },
    async requests() {
      return (await recorded()).map((request) => request.purpose);
    },
    recorded,
  };
}
