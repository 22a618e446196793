import type { StreamFrame } from './chat-transport';

type DeltaFrame = Extract<StreamFrame, { type: 'delta' }>;

/**
 * Frames that arrived together (one read of the stream), with each run of consecutive
 * `delta` frames of one message made one frame: the page then renders a fast reply once per
 * read instead of once per token, which with thousands of tokens arriving in a few reads kept
 * the main thread busy for a second at a time.
 *
 * A merged run keeps the meaning of its pieces for the client: its `seq` is its last piece's,
 * and a run that begins the reply (seq 0) becomes a `snapshot`, the text so far, since a delta
 * past seq 0 never starts a reply.
 */
export function coalesceDeltas(frames: readonly StreamFrame[]): StreamFrame[] {
  const coalesced: StreamFrame[] = [];
  let run: DeltaFrame[] = [];
  const endRun = () => {
    const first = run[0];
    const last = run.at(-1);
    if (first && last) {
      if (run.length === 1) coalesced.push(first);
      else {
        const text = run.map((delta) => delta.text).join('');
        const type = first.seq === 0 ? 'snapshot' : 'delta';
        coalesced.push({
          type,
          traceId: last.traceId,
          messageId: last.messageId,
          seq: last.seq,
          text,
        });
      }
    }
    run = [];
  };
  for (const frame of frames) {
    const previous = run.at(-1);
    const continuesRun =
      frame.type === 'delta' &&
      previous !== undefined &&
      frame.messageId === previous.messageId &&
      frame.traceId === previous.traceId &&
      frame.seq > previous.seq;
    if (!continuesRun) endRun();
    if (frame.type === 'delta') run.push(frame);
    else coalesced.push(frame);
  }
  endRun();
  return coalesced;
}
