// A stub resolver that asks only the practice DNS server (never the system resolver), over UDP,
// falling back to TCP when the answer comes back truncated (RFC 7766 section 5). For the practice
// mail servers' MX lookups; dns-packet does the wire format.
import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';

export interface MxHost {
  preference: number;
  exchange: string;
}

export interface PracticeResolver {
  query(name: string, type: 'A' | 'AAAA' | 'MX' | 'TXT' | 'PTR' | 'NS' | 'SOA'): Promise<dnsPacket.Packet>;
  /** MX hosts by preference, lowest first (RFC 5321 section 5.1); [] for a name without MX. */
  mx(domain: string): Promise<MxHost[]>;
  a(name: string): Promise<string[]>;
}

export function createPracticeResolver(server: { host: string; port: number }, timeoutMs = 2000): PracticeResolver {
  let nextId = 1;
  const overUdp = (packet: Buffer, id: number) =>
    new Promise<dnsPacket.Packet>((resolve, reject) => {
      const socket = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
      const timer = setTimeout(() => {
        socket.close();
        reject(
          new Error(`The practice DNS server at ${server.host}:${server.port} did not answer within ${timeoutMs} ms.`),
        );
      }, timeoutMs);
      socket.on('message', (msg) => {
        let reply: dnsPacket.Packet;
        try {
          reply = dnsPacket.decode(msg);
        } catch {
          return; // not an answer: keep waiting
        }
        if (reply.id !== id) return;
        clearTimeout(timer);
        socket.close();
        resolve(reply);
      });
      socket.on('error', (err) => {
        clearTimeout(timer);
        socket.close();
        reject(err);
      });
      socket.send(packet, server.port, server.host);
    });
  const overTcp = (packet: Buffer) =>
    new Promise<dnsPacket.Packet>((resolve, reject) => {
      const socket = net.connect(server.port, server.host);
      let buffered = Buffer.alloc(0);
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error('The practice DNS server did not answer over TCP.')));
      socket.on('connect', () => socket.write(dnsPacket.streamEncode(dnsPacket.decode(packet))));
      socket.on('data', (chunk) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          socket.end();
          resolve(dnsPacket.streamDecode(buffered));
        }
      });
      socket.on('error', reject);
    });
  const query: PracticeResolver['query'] = async (name, type) => {
    const id = nextId++ & 0xffff;
    const packet = dnsPacket.encode({ type: 'query', id, flags: 0, questions: [{ type, name, class: 'IN' }] });
    const reply = await overUdp(packet, id);
    return (reply.flags ?? 0) & dnsPacket.TRUNCATED_RESPONSE ? overTcp(packet) : reply;
  };
  return {
    query,
    async mx(domain) {
      const reply = await query(domain, 'MX');
      return (reply.answers ?? [])
        .flatMap((a) => (a.type === 'MX' ? [a.data as MxHost] : []))
        .sort((x, y) => x.preference - y.preference);
    },
    async a(name) {
      const reply = await query(name, 'A');
      return (reply.answers ?? []).flatMap((a) => (a.type === 'A' ? [a.data] : []));
    },
  };
}
