// The practice DNS server: answers for the practice zones (app/src/protocols/dns) over UDP and
// TCP on loopback, so `dig @127.0.0.1 -p 10053 MX faraway.test` works and the practice mail
// servers resolve through it, never through the system resolver. The wire format is dns-packet's
// (a maintained codec); only the answering logic is ours.
import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';
import { lookup, type LookupResult } from '../../../app/src/protocols/dns/lookup.ts';
import type { ZoneRecord } from '../../../app/src/protocols/dns/zones.ts';
import type { Logger } from '../types.ts';

export interface DnsServerOptions {
  host: string;
  port: number;
  log: Logger;
}

export interface RunningDnsServer {
  port: number;
  close(): Promise<void>;
}

// RFC 1035 section 4.2.1: without EDNS a UDP answer holds at most 512 octets; a longer one is
// sent truncated (TC bit) and the client retries over TCP (RFC 7766 section 5).
const UDP_LIMIT = 512;
// A DNS message over TCP is at most 65535 octets (two-octet length prefix, RFC 1035 section 4.2.2).
const TCP_IDLE_MS = 10_000;
const MAX_TCP_CONNECTIONS = 64;

const RCODE_NUMBERS = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

function toAnswer(r: ZoneRecord): dnsPacket.Answer {
  const base = { name: r.name, ttl: r.ttl, class: 'IN' as const };
  switch (r.type) {
    case 'MX':
      return { ...base, type: 'MX', data: r.data };
    case 'TXT':
      return { ...base, type: 'TXT', data: r.data };
    case 'SOA':
      return { ...base, type: 'SOA', data: { ...r.data, mname: r.data.mname, rname: r.data.rname } };
    default:
      return { ...base, type: r.type, data: r.data } as dnsPacket.Answer;
  }
}

/** The answer to one query packet, as bytes; null when the bytes are not a DNS query at all. */
export function answerQuery(bytes: Buffer, maxLength = 65535): Buffer | null {
  let query: dnsPacket.Packet;
  try {
    query = dnsPacket.decode(bytes);
  } catch {
    return null; // not DNS: nothing to answer (a reply could be aimed at a forged source)
  }
  if (query.type !== 'query') return null;
  const id = query.id ?? 0;
  const question = query.questions?.[0];
  const reply = (rcode: number, result?: LookupResult): Buffer => {
    const flags =
      (result?.authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) |
      ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
      rcode;
    const packet: dnsPacket.Packet = {
      type: 'response',
      id,
      flags,
      questions: question ? [question] : [],
      answers: result?.answers.map(toAnswer) ?? [],
      authorities: result?.authority.map(toAnswer) ?? [],
    };
    const out = dnsPacket.encode(packet);
    if (out.length <= maxLength) return out;
    // Too long for this transport: header and question only, with TC set.
    return dnsPacket.encode({ ...packet, flags: flags | dnsPacket.TRUNCATED_RESPONSE, answers: [], authorities: [] });
  };
  // RFC 1035 section 4.1.1: opcode other than QUERY -> NOTIMP; RFC 9619: exactly one question.
  const opcode = ((query.flags ?? 0) >> 11) & 0xf;
  if (opcode !== 0) return reply(RCODE_NUMBERS.NOTIMP);
  if (!question || (query.questions?.length ?? 0) !== 1) return reply(RCODE_NUMBERS.FORMERR);
  if (question.class !== 'IN' && question.class !== 'ANY') return reply(RCODE_NUMBERS.REFUSED);
  const result = lookup(question.name, question.type);
  return reply(RCODE_NUMBERS[result.rcode], result);
}

export async function startDnsServer(options: DnsServerOptions): Promise<RunningDnsServer> {
  // UDP and TCP share one port number; with port 0 the number the first socket got may be taken
  // for the other protocol, so try again with a new one a few times.
  for (let attempt = 0; ; attempt++) {
    try {
      return await listenOnce(options);
    } catch (err) {
      if (options.port !== 0 || attempt >= 4 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}

async function listenOnce(options: DnsServerOptions): Promise<RunningDnsServer> {
  const { host, port, log } = options;
  const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  udp.on('message', (msg, rinfo) => {
    const out = answerQuery(msg, UDP_LIMIT);
    if (out) udp.send(out, rinfo.port, rinfo.address);
  });
  udp.on('error', (err) => log('dns.error', { transport: 'udp', message: err.message }));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, host, () => {
      udp.off('error', reject);
      resolve();
    });
  });
  const boundPort = udp.address().port;

  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    if (sockets.size >= MAX_TCP_CONNECTIONS) return socket.destroy();
    sockets.add(socket);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      // RFC 7766 section 8: each message is preceded by its two-octet length.
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const out = answerQuery(buffered.subarray(2, 2 + length));
        buffered = buffered.subarray(2 + length);
        if (!out) return socket.destroy();
        const framed = Buffer.alloc(2 + out.length);
        framed.writeUInt16BE(out.length, 0);
        out.copy(framed, 2);
        socket.write(framed);
      }
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(boundPort, host, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    udp.close();
    throw err;
  }
  return {
    port: boundPort,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((r) => udp.close(() => r())),
        new Promise<void>((r) => tcp.close(() => r())),
      ]);
    },
  };
}
