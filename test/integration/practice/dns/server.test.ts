// The practice DNS server over real UDP and TCP sockets on loopback: dig (the classic lab's tool)
// and the practice resolver ask it, and hostile datagrams do not stop it.
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPracticeResolver } from '../../../../bridge/practice/dns/resolver.ts';
import { startDnsServer, type RunningDnsServer } from '../../../../bridge/practice/dns/server.ts';

const run = promisify(execFile);
const hasDig = existsSync('/usr/bin/dig');
let dns: RunningDnsServer;
const logged: string[] = [];

beforeAll(async () => {
  dns = await startDnsServer({ host: '127.0.0.1', port: 0, log: (event) => logged.push(event) });
});
afterAll(async () => dns?.close());

const dig = async (...args: string[]) =>
  (await run('dig', ['@127.0.0.1', '-p', String(dns.port), '+time=2', '+tries=1', ...args])).stdout;

describe.skipIf(!hasDig)('dig against the practice DNS server (needs dnsutils)', () => {
  it('answers MX for faraway.test with both hosts, authoritatively', async () => {
    const out = await dig('MX', 'faraway.test');
    expect(out).toMatch(/status: NOERROR/);
    expect(out).toMatch(/flags: qr aa/);
    expect(out).toMatch(/faraway\.test\.\s+300\s+IN\s+MX\s+10 mx1\.faraway\.test\./);
    expect(out).toMatch(/faraway\.test\.\s+300\s+IN\s+MX\s+20 mx2\.faraway\.test\./);
  });

  it('answers TXT, and the same over TCP', async () => {
    expect(await dig('TXT', 'practice.test', '+short')).toBe('"v=spf1 ip4:127.0.0.1 -all"\n');
    expect(await dig('+tcp', 'TXT', 'practice.test', '+short')).toBe('"v=spf1 ip4:127.0.0.1 -all"\n');
  });

  it('answers NXDOMAIN with the SOA for a missing name, and REFUSED outside the zones', async () => {
    const out = await dig('A', 'nowhere.faraway.test');
    expect(out).toMatch(/status: NXDOMAIN/);
    expect(out).toMatch(/AUTHORITY SECTION:\nfaraway\.test\.\s+300\s+IN\s+SOA\s+ns\.faraway\.test\./);
    expect(await dig('A', 'example.com')).toMatch(/status: REFUSED/);
  });

  it('answers PTR and AAAA', async () => {
    expect(await dig('-x', '127.0.0.1', '+short')).toBe('mail.practice.test.\n');
    expect(await dig('AAAA', 'mail.practice.test', '+short')).toBe('::1\n');
  });

  it('answers for greylist.test as the lesson and the zone view describe it: one MX, 127.0.1.3, its PTR', async () => {
    expect(await dig('MX', 'greylist.test', '+short')).toBe('10 mx.greylist.test.\n');
    expect(await dig('A', 'mx.greylist.test', '+short')).toBe('127.0.1.3\n');
    expect(await dig('-x', '127.0.1.3', '+short')).toBe('mx.greylist.test.\n');
  });
});

describe('the practice resolver', () => {
  it('orders MX hosts by preference and resolves their addresses through the practice server only', async () => {
    const resolver = createPracticeResolver({ host: '127.0.0.1', port: dns.port });
    const mx = await resolver.mx('faraway.test');
    expect(mx.map((m) => m.exchange)).toEqual(['mx1.faraway.test', 'mx2.faraway.test']);
    expect(await resolver.a('mx2.faraway.test')).toEqual(['127.0.1.2']);
    expect(await resolver.mx('nowhere.test')).toEqual([]);
  });
});

describe('hostile datagrams', () => {
  it('ignores garbage and keeps answering', async () => {
    const sock = dgram.createSocket('udp4');
    for (const junk of [
      Buffer.alloc(0),
      Buffer.from('GET / HTTP/1.1\r\n\r\n'),
      Buffer.alloc(12, 0xff),
      Buffer.alloc(3000, 0x41),
    ]) {
      await new Promise<void>((r) => sock.send(junk, dns.port, '127.0.0.1', () => r()));
    }
    sock.close();
    const resolver = createPracticeResolver({ host: '127.0.0.1', port: dns.port });
    expect(await resolver.a('mail.practice.test')).toEqual(['127.0.0.1']);
  });
});
