/**
 * Child process of the HTTP bench: `startFakeOpenAIServer`, answering every call at once
 * (no delays) with {@link benchModelAnswer}, in a process of its own so that the model's side
 * of each call costs the Parley server nothing. Measures its own time per request (from the
 * request's headers to the end of the response) through Node's HTTP diagnostics channels.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeOpenAIServer } from '@parley/core/testing';
import { summarizeLatencies } from '../shared/percentiles';
import { answerParent } from './answer-parent';
import { benchModelAnswer } from './bench-model-answer';
import type { FakeModelReady, FakeModelTimes } from './child-messages';

/** Replies kept queued ahead of the requests; far more than arrive between two top-ups. */
const queuedAhead = 20_000;

const startedAt = new WeakMap<IncomingMessage, number>();
let streamed: number[] = [];
let structured: number[] = [];
diagnosticsChannel.subscribe('http.server.request.start', (message) => {
  startedAt.set((message as { request: IncomingMessage }).request, performance.now());
});
diagnosticsChannel.subscribe('http.server.response.finish', (message) => {
  const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
  const started = startedAt.get(request);
  if (started === undefined) return;
  const milliseconds = performance.now() - started;
  // The fake passes its headers to `writeHead` directly, so `getHeader` cannot see them; the
  // header block Node wrote can.
  const headerBlock = (response as ServerResponse & { _header?: string })._header ?? '';
  if (headerBlock.includes('text/event-stream')) {
    streamed.push(milliseconds);
  } else {
    structured.push(milliseconds);
  }
});

const fake = await startFakeOpenAIServer();
let enqueued = 0;
let received = 0;
const topUp = () => {
  // The fake records every request (with its prompt); forget them, or memory grows all run.
  received += fake.requests.splice(0).length;
  for (; enqueued - received < queuedAhead; enqueued += 1) {
    fake.enqueue({ text: benchModelAnswer });
  }
};
topUp();
const topUpTimer = setInterval(topUp, 50);
let cpuSince = process.cpuUsage();

answerParent({ baseURL: fake.baseURL } satisfies Omit<FakeModelReady, 'type'>, {
  times(): FakeModelTimes {
    const times = {
      streamed: summarizeLatencies(streamed),
      structured: summarizeLatencies(structured),
      cpu: process.cpuUsage(cpuSince),
    };
    streamed = [];
    structured = [];
    cpuSince = process.cpuUsage();
    return times;
  },
  async close() {
    clearInterval(topUpTimer);
    await fake.close();
  },
});
