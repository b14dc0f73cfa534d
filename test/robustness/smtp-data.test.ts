// SMTP DATA on every port is streamed to a spool file, never held in memory, and cut off at the
// size limit while it streams: unfinished transfers hold disk, not RAM, and a well-formed session
// from another client keeps working within 2 s. (RSS growth is measured in the bench:
// `npm run bench -- robustness-practice`.)
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapSessionWorks, LineClient, startLimitedPractice, type Practice } from './practice-harness.ts';

let p: Practice;
beforeAll(async () => {
  p = await startLimitedPractice({ maxMessageSize: 2 * 1024 * 1024, maxConnectionsPerAddress: 100 });
});
afterAll(() => p.close());

const spoolOf = (mode: string) =>
  p.logs.map((l) => JSON.parse(l)).find((e) => e.event === 'smtp.listening' && e.mode === mode)!.spool as string;

async function startData(port: number, as: string): Promise<LineClient> {
  const c = await LineClient.connect(p, port, { as });
  await c.line();
  c.send('EHLO me\r\nMAIL FROM:<s@example.org>\r\nRCPT TO:<alice@practice.test>\r\nDATA\r\n');
  await c.until(/^354 /);
  return c;
}

async function inboxCount(): Promise<number> {
  const c = await LineClient.connect(p, p.port('imaps'), { as: '192.0.2.250', tls: true });
  await c.line();
  c.send('a LOGIN alice practice\r\nb STATUS INBOX (MESSAGES)\r\n');
  const lines = await c.until(/^b /);
  c.close();
  return Number(/MESSAGES (\d+)/.exec(lines.find((l) => l.startsWith('* STATUS'))!)![1]);
}

describe('SMTP DATA', () => {
  it('20 unfinished transfers on the relay port sit in spool files, not memory; all are stored once finished', async () => {
    const before = await inboxCount();
    const chunk = `Subject: part\r\n\r\n${'y'.repeat(1000)}\r\n`.repeat(1000); // about 1 MB each
    const senders = await Promise.all(
      Array.from({ length: 20 }, (_, i) => startData(p.port('smtp'), `198.51.100.${100 + i}`)),
    );
    for (const s of senders) s.send(chunk);
    const spool = spoolOf('relay');
    let onDisk = 0;
    // smtp-server holds back the last few octets of what arrived, to find the final dot.
    const expected = 20 * (chunk.length - 8);
    for (let tries = 0; tries < 50 && onDisk < expected; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      const files = await readdir(spool);
      onDisk = (await Promise.all(files.map((f) => stat(path.join(spool, f))))).reduce((n, s) => n + s.size, 0);
    }
    expect(onDisk).toBeGreaterThanOrEqual(expected);
    expect(onDisk).toBeLessThanOrEqual(20 * chunk.length);
    expect(await imapSessionWorks(p)).toBeLessThan(2000);
    for (const s of senders) s.send('.\r\n');
    for (const s of senders) expect(await s.line(10_000)).toMatch(/^250 2\.6\.0 Message accepted/);
    expect(await inboxCount()).toBe(before + 20);
    expect(await readdir(spool)).toEqual([]); // spool files go once stored
    for (const s of senders) s.close();
  });

  it('a message over the size limit is cut off while it streams: 552, nothing stored, no spool left', async () => {
    const before = await inboxCount();
    const c = await startData(p.port('smtp'), '198.51.100.200');
    const line = `${'z'.repeat(998)}\r\n`;
    for (let i = 0; i < 3000; i++) c.send(line); // 3 MB, over the 2 MiB limit
    c.send('.\r\n');
    expect(await c.line(10_000)).toMatch(/^552 5\.3\.4 Message too big: this server accepts at most 2097152 octets/);
    const spool = spoolOf('relay');
    expect(await readdir(spool)).toEqual([]);
    expect(await inboxCount()).toBe(before);
    // The session goes on: a small message right after is stored.
    c.send('MAIL FROM:<s@example.org>\r\nRCPT TO:<alice@practice.test>\r\nDATA\r\n');
    await c.until(/^354 /);
    c.send('Subject: small\r\n\r\nhello\r\n.\r\n');
    expect(await c.line()).toMatch(/^250 /);
    expect(await inboxCount()).toBe(before + 1);
    c.close();
  });
});
