// @vitest-environment node
// The page's wire codec: cbor2's bytes (the quicker object writer changes none), and the choice between a
// delta and a whole snapshot. The property over a real Session is server/pageSnapshots.test.ts's.
import { encode } from 'cbor2';
import { describe, expect, it } from 'vitest';
import {
  decodePageMessage,
  encodeForPage,
  encodeSnapshot,
  PageReceiver,
  type ServerMessage,
} from './pageCodec';
import { playingHost, testProducer } from './testHelpers';

/** A host with a producer that has run 3 virtual seconds. */
function runningHost() {
  const host = playingHost(11, testProducer(300, 30));
  host.tick(3000);
  return host;
}

describe('the page codec', () => {
  it("writes a snapshot with cbor2's exact bytes, typed arrays as they are", () => {
    const snapshot = runningHost().snapshot();
    const bytes = encodeForPage(snapshot);
    expect(Buffer.from(bytes).equals(Buffer.from(encode(snapshot)))).toBe(true);
    const decoded = decodePageMessage(bytes) as typeof snapshot;
    expect(decoded.stream?.series.incomingRecords).toBeInstanceOf(Float32Array);
    expect(decoded).toStrictEqual(snapshot);
  });

  it('sends a delta on the snapshot the page holds, and the whole snapshot when it holds none or another generation', () => {
    const host = runningHost();
    const first = host.snapshot();
    host.tick(100);
    const second = host.snapshot();
    const whole = encodeSnapshot(undefined, first);
    const delta = encodeSnapshot(first, second);
    expect(whole.full).toBe(true);
    expect(delta.full).toBe(false);
    expect(delta.bytes.byteLength * 10).toBeLessThan(whole.bytes.byteLength);
    const receiver = new PageReceiver();
    receiver.receive(decodePageMessage(whole.bytes) as ServerMessage);
    const { event } = receiver.receive(decodePageMessage(delta.bytes) as ServerMessage);
    expect(event?.type).toBe('snapshot');
    expect(receiver.snapshot).toStrictEqual(second);
    // The layout is the one posted last: left out, as the in-page worker leaves it out.
    expect(event?.type === 'snapshot' && event.sameLayout).toBe(true);
    host.handle({ type: 'loadScenario', requestId: 2, scenario: host.currentScenario() });
    expect(encodeSnapshot(second, host.snapshot()).full).toBe(true);
  });
});
