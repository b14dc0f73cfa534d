import { describe, expect, it } from 'vitest';
import { createRecorder } from '../../../app/src/transcript/recorder.ts';

const clock = (times: number[]) => {
  let i = 0;
  return () => times[Math.min(i++, times.length - 1)]!;
};

describe('createRecorder', () => {
  it("eventsSince(n) gives copies of the events from n on, the same as the transcript's tail", () => {
    const r = createRecorder(
      { protocol: 'smtp', target: 'practice/submission', client: 'test' },
      { now: clock([0, 1, 2, 3, 4, 5]) },
    );
    r.received('220 hi\r\n');
    r.sent('EHLO x\r\n');
    r.received('250 ok\r\n');
    r.sent('AUTH PLAIN AGFsaWNlAHByYWN0aWNl\r\n');
    expect(r.eventCount()).toBe(4);
    expect(r.eventsSince(2)).toEqual(r.transcript().events.slice(2));
    expect(r.eventsSince(3)[0]).toMatchObject({ kind: 'sent', secret: [expect.objectContaining({})] });
    expect(r.eventsSince(4)).toEqual([]);
    expect(r.eventsSince(-1)).toHaveLength(4);
    // A copy: changing it leaves the record alone.
    const [e] = r.eventsSince(0);
    if (e && 'data' in e) e.data[0] = 0x21;
    expect(r.transcript().events[0]).toMatchObject({ data: new TextEncoder().encode('220 hi\r\n') });
  });

  it('stamps events with ms since the start, never going backwards', () => {
    const r = createRecorder(
      { protocol: 'smtp', target: 'practice/smtp', client: 'test', startedAt: '2026-11-25T10:00:00.000Z' },
      { now: clock([1000, 1005, 1003, 1020]) },
    );
    r.received('220 hi\r\n');
    r.sent('EHLO x\r\n');
    r.received('250 ok\r\n');
    const t = r.transcript();
    expect(t.events.map((e) => e.t)).toEqual([5, 5, 20]);
    expect(t.meta).toEqual({
      protocol: 'smtp',
      target: 'practice/smtp',
      client: 'test',
      startedAt: '2026-11-25T10:00:00.000Z',
    });
  });

  it('keeps bytes exactly and snapshots are not changed by later events or by the caller', () => {
    const r = createRecorder({ protocol: 'pop3', target: 'h:110', client: 'test' }, { now: () => 0 });
    const bytes = Uint8Array.from([0x2b, 0x4f, 0x4b, 0xff, 0x0d, 0x0a]);
    r.received(bytes);
    bytes[0] = 0;
    const snap = r.transcript();
    r.sent('QUIT\r\n');
    expect(snap.events).toHaveLength(1);
    expect(Array.from((snap.events[0] as { data: Uint8Array }).data)).toEqual([0x2b, 0x4f, 0x4b, 0xff, 0x0d, 0x0a]);
    expect(r.transcript().events).toHaveLength(2);
  });

  it('records the control messages of the wire contract', () => {
    const r = createRecorder({ protocol: 'smtp', target: 'practice/smtp', client: 'test' }, { now: () => 0 });
    const tls = {
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_128_GCM_SHA256',
      servername: null,
      certificate: null,
      verified: true,
      verifyReason: 'pinned practice certificate',
    };
    r.control({
      type: 'opened',
      remote: { target: 'practice/smtp', host: '127.0.0.1', port: 25, address: '127.0.0.1', family: 'IPv4' },
      tls: null,
    });
    r.control({ type: 'tls', tls, discardedPlaintextBytes: 3 });
    r.control({ type: 'error', code: 'IDLE_TIMEOUT', message: 'idle' });
    r.control({ type: 'closed', by: 'bridge', reason: 'idle' });
    expect(r.transcript().events.map((e) => e.kind)).toEqual(['opened', 'tls', 'error', 'closed']);
    expect(r.transcript().events[1]).toMatchObject({ kind: 'tls', tls, discardedPlaintextBytes: 3 });
  });
});
