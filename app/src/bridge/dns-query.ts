// One question to the practice DNS server, asked for real from the page. Why this design: the
// browser has no UDP, but DNS also runs over TCP, each message behind a two-octet length (RFC 1035
// section 4.2.2, RFC 7766 section 8), and the bridge already relays TCP byte for byte. So the page
// opens the named target practice/dns through the relay, sends the query encoded by dns-packet (the
// same maintained codec the server uses; the `buffer` package stands in for Node's Buffer in the
// browser) and decodes the real answer. Nothing is looked up in the zone tables on the page.
import { Buffer } from 'buffer';
import * as dnsPacket from 'dns-packet';
import type { QuestionType, RecordView, ResponseView } from '../protocols/dns/annotate.ts';
import { BridgeSocket, type WebSocketConstructor } from './socket.ts';

export type DnsQueryResult =
  | { ok: true; response: ResponseView; sent: Uint8Array; received: Uint8Array }
  | { ok: false; code: string; message: string };

export interface DnsQueryOptions {
  WebSocketImpl?: WebSocketConstructor;
  timeoutMs?: number;
  /** The query ID (RFC 1035 section 4.1.1); random by default. */
  id?: number;
}

const toView = (a: dnsPacket.Answer): RecordView => ({
  name: a.name,
  type: a.type,
  ttl: 'ttl' in a ? (a.ttl ?? 0) : 0,
  data: 'data' in a ? a.data : null,
});

/** Decodes a DNS message (without the TCP length) into the plain data the annotations read. */
export function responseView(message: Uint8Array): ResponseView {
  const p = dnsPacket.decode(Buffer.from(message.buffer, message.byteOffset, message.byteLength));
  const q = p.questions?.[0];
  const flags = p.flags ?? 0;
  return {
    question: { name: q?.name ?? '', type: q?.type ?? '' },
    rcode: (p as { rcode?: string }).rcode ?? 'NOERROR',
    authoritative: (flags & dnsPacket.AUTHORITATIVE_ANSWER) !== 0,
    truncated: (flags & dnsPacket.TRUNCATED_RESPONSE) !== 0,
    answers: (p.answers ?? []).map(toView),
    authorities: (p.authorities ?? []).map(toView),
    size: message.byteLength,
  };
}

export function queryPracticeDns(
  wsUrl: string,
  name: string,
  type: QuestionType,
  options: DnsQueryOptions = {},
): Promise<DnsQueryResult> {
  const id = options.id ?? Math.floor(Math.random() * 0x10000);
  // RD clear: the practice server is authoritative, not a resolver (RFC 1035 section 4.1.1).
  const sent = new Uint8Array(dnsPacket.streamEncode({ type: 'query', id, flags: 0, questions: [{ type, name }] }));
  return new Promise((resolve) => {
    const socket = new BridgeSocket(wsUrl, options.WebSocketImpl);
    let buffered = new Uint8Array(0);
    let done = false;
    const finish = (result: DnsQueryResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          code: 'DNS_TIMEOUT',
          message: 'The practice DNS server did not answer in time; try again.',
        }),
      options.timeoutMs ?? 10_000,
    );
    socket.onOpened = () => socket.send(sent);
    socket.onData = (bytes) => {
      const joined = new Uint8Array(buffered.length + bytes.length);
      joined.set(buffered);
      joined.set(bytes, buffered.length);
      buffered = joined;
      if (buffered.length < 2) return;
      const length = (buffered[0] << 8) | buffered[1];
      if (buffered.length < 2 + length) return;
      const message = buffered.slice(2, 2 + length);
      try {
        const response = responseView(message);
        finish({ ok: true, response, sent: sent.slice(2), received: message });
      } catch (err) {
        finish({
          ok: false,
          code: 'DNS_BAD_ANSWER',
          message: `The answer could not be decoded: ${(err as Error).message}`,
        });
      }
    };
    socket.onError = (m) => finish({ ok: false, code: m.code, message: m.message });
    socket.onClosed = (m) =>
      finish({ ok: false, code: 'CLOSED', message: `The DNS connection closed before an answer: ${m.reason}` });
    socket.open({ target: 'practice/dns' });
  });
}
