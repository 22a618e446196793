import { describe, expect, it } from 'vitest';
import type { StreamFrame } from './chat-transport';
import { coalesceDeltas } from './coalesce-deltas';

const delta = (seq: number, text: string, messageId = 'm1'): StreamFrame => ({
  type: 'delta',
  traceId: 't1',
  messageId,
  seq,
  text,
});

describe('coalesceDeltas', () => {
  it('makes a run of pieces that begins a reply one snapshot of the text so far', () => {
    expect(coalesceDeltas([delta(0, 'Hel'), delta(1, 'lo '), delta(2, 'there')])).toEqual([
      { type: 'snapshot', traceId: 't1', messageId: 'm1', seq: 2, text: 'Hello there' },
    ]);
  });

  it('makes a run past the beginning one delta with the seq of its last piece', () => {
    expect(coalesceDeltas([delta(3, 'a'), delta(4, 'b'), delta(5, 'c')])).toEqual([
      { type: 'delta', traceId: 't1', messageId: 'm1', seq: 5, text: 'abc' },
    ]);
  });

  it('keeps a lone piece, other frames and their order as they are', () => {
    const open: StreamFrame = { type: 'open' };
    const snapshot: StreamFrame = {
      type: 'snapshot',
      traceId: 't1',
      messageId: 'm1',
      seq: 4,
      text: 'So far',
    };
    expect(coalesceDeltas([open, snapshot, delta(5, ' more')])).toEqual([
      open,
      snapshot,
      delta(5, ' more'),
    ]);
  });

  it('does not join pieces of different messages, or across another frame', () => {
    const stored = { type: 'event', event: { offset: 9 } } as unknown as StreamFrame;
    expect(
      coalesceDeltas([delta(1, 'a'), delta(2, 'b'), delta(0, 'x', 'm2'), stored, delta(3, 'c')]),
    ).toEqual([
      { type: 'delta', traceId: 't1', messageId: 'm1', seq: 2, text: 'ab' },
      delta(0, 'x', 'm2'),
      stored,
      delta(3, 'c'),
    ]);
  });
});
