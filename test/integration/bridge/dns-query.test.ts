// The DNS panel's query, for real: dns-packet encodes it, the relay carries it over TCP to the
// practice DNS server (named target practice/dns), the real answer is decoded and annotated.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { queryPracticeDns } from '../../../app/src/bridge/dns-query.ts';
import type { WebSocketConstructor } from '../../../app/src/bridge/socket.ts';
import { annotateResponse } from '../../../app/src/protocols/dns/annotate.ts';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startBridge, type TestBridge } from '../relay/helpers.ts';
import { EPHEMERAL_PORTS } from '../../helpers/practice-ports.ts';

let bridge: TestBridge;
const WebSocketImpl = WebSocket as unknown as WebSocketConstructor;
beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-dnsq-'));
  bridge = await startBridge({ dataDir, practice: practiceConfigWithDefaults({ dataDir, ports: EPHEMERAL_PORTS }) });
});
afterAll(async () => {
  await bridge.close();
});

describe('DNS over TCP through the relay (RFC 1035 section 4.2.2)', () => {
  it('MX faraway.test: both MX records with preference, target and TTL, from the server', async () => {
    const r = await queryPracticeDns(bridge.wsUrl, 'faraway.test', 'MX', { WebSocketImpl, id: 4242 });
    if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
    expect(r.response.rcode).toBe('NOERROR');
    expect(r.response.authoritative).toBe(true);
    expect(r.response.answers.map((a) => a.data)).toEqual([
      { preference: 10, exchange: 'mx1.faraway.test' },
      { preference: 20, exchange: 'mx2.faraway.test' },
    ]);
    // The ID the server echoed is the one sent (bytes 0-1 of the message).
    expect((r.received[0] << 8) | r.received[1]).toBe(4242);
    const a = annotateResponse(r.response);
    expect(a.headline).toBe(
      'Mail for faraway.test goes to mx1.faraway.test (preference 10), then mx2.faraway.test (preference 20).',
    );
    expect(a.answers[0].line).toBe('faraway.test. 300 IN MX 10 mx1.faraway.test.');
  });

  it('a name that does not exist: NXDOMAIN with the SOA for negative caching', async () => {
    const r = await queryPracticeDns(bridge.wsUrl, 'nobody.faraway.test', 'MX', { WebSocketImpl });
    if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
    expect(r.response.rcode).toBe('NXDOMAIN');
    expect(r.response.authorities.map((x) => x.type)).toEqual(['SOA']);
    expect(annotateResponse(r.response).rcode.rfc).toContain('RFC 2308');
  });

  it('TXT and PTR answers decode to their text', async () => {
    const txt = await queryPracticeDns(bridge.wsUrl, 'faraway.test', 'TXT', { WebSocketImpl });
    if (!txt.ok) throw new Error(txt.message);
    expect(annotateResponse(txt.response).answers[0].fields[0].value).toBe('v=spf1 ip4:127.0.1.0/24 -all');
    const ptr = await queryPracticeDns(bridge.wsUrl, '1.1.0.127.in-addr.arpa', 'PTR', { WebSocketImpl });
    if (!ptr.ok) throw new Error(ptr.message);
    expect(ptr.response.answers[0].data).toBe('mx1.faraway.test');
  });
});
