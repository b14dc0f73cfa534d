// The whole practice server end to end: a multipart message with an image attachment goes in over
// submission + STARTTLS + AUTH (nodemailer) and comes back byte-exact over IMAP FETCH BODY[]
// (imapflow, IMAPS) and over POP3 RETR (raw POP3S socket, dot-unstuffed).
import tls from 'node:tls';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPractice, type TestPractice, practiceTransport } from './smtp/helpers.ts';

let t: TestPractice;
beforeAll(async () => {
  t = await startTestPractice();
});
afterAll(async () => {
  await t.stop();
});

// A 1x1 PNG, so the attachment is real binary that must survive base64 both ways.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
  'base64',
);

async function compose(): Promise<Buffer> {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await builder.sendMail({
    from: 'alice@practice.test',
    to: 'bob@practice.test',
    subject: 'roundtrip with an image',
    text: 'A picture is attached.\n.A line starting with a dot.',
    html: '<p>A picture is attached.</p>',
    attachments: [{ filename: 'pixel.png', content: PNG, contentType: 'image/png' }],
  });
  return info.message as Buffer;
}

async function pop3Retr(port: number, uniqueIdWanted: string): Promise<Buffer> {
  const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
  let buf = Buffer.alloc(0);
  socket.on('data', (d: Buffer) => (buf = Buffer.concat([buf, d])));
  const until = async (end: string) => {
    for (let i = 0; i < 400; i++) {
      const at = buf.indexOf(end);
      if (at !== -1) {
        const out = buf.subarray(0, at + end.length);
        buf = buf.subarray(at + end.length);
        return out;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`POP3: no ${JSON.stringify(end)} in ${JSON.stringify(buf.toString())}`);
  };
  const cmd = async (line: string, multi = false) => {
    socket.write(`${line}\r\n`);
    const first = (await until('\r\n')).toString();
    expect(first, line).toMatch(/^\+OK/);
    return multi ? until('\r\n.\r\n') : Buffer.from(first);
  };
  try {
    expect((await until('\r\n')).toString()).toMatch(/^\+OK/);
    await cmd('USER bob');
    await cmd('PASS practice');
    const uidl = (await cmd('UIDL', true)).toString();
    const n = /^(\d+) (\S+)\r$/m.exec(uidl.split('\n').find((l) => l.includes(uniqueIdWanted)) ?? '')?.[1];
    expect(n, 'message listed in UIDL').toBeDefined();
    const body = await cmd(`RETR ${n}`, true);
    await cmd('QUIT');
    // strip the final ".\r\n" and undo dot-stuffing (RFC 1939 section 3)
    const text = body
      .subarray(0, body.length - 3)
      .toString('latin1')
      .replace(/^\.\./gm, '.');
    return Buffer.from(text, 'latin1');
  } finally {
    socket.destroy();
  }
}

describe('SMTP in, IMAP and POP3 out', () => {
  it('returns the stored bytes exactly (the bytes sent after the trace fields)', { timeout: 30_000 }, async () => {
    const raw = await compose();
    expect(raw.toString('latin1')).toContain('\r\n.A line starting'); // exercises dot-stuffing both ways
    const transport = practiceTransport(t, 'submission', 'alice', 'practice');
    await transport.sendMail({ envelope: { from: 'alice@practice.test', to: ['bob@practice.test'] }, raw });
    transport.close();

    const inbox = t.inbox('bob')!;
    const meta = inbox.messages().at(-1)!;
    // Stored = the trace fields the server prepends (Return-Path, Received: RFC 5321 section 4.4; Delivered-To: RFC 9228) + the bytes sent.
    const stored = (await inbox.read(meta.uid))!;
    expect(stored.subarray(stored.length - raw.length).equals(raw)).toBe(true);
    expect(stored.subarray(0, stored.length - raw.length).toString('latin1')).toMatch(
      /^Return-Path: <alice@practice\.test>\r\nDelivered-To: bob@practice\.test\r\nReceived: from [^]*\r\n$/,
    );

    const imap = new ImapFlow({
      host: '127.0.0.1',
      port: t.server.endpoints['practice/imaps'].port,
      secure: true,
      auth: { user: 'bob', pass: 'practice' },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await imap.connect();
    try {
      await imap.mailboxOpen('INBOX');
      const fetched = await imap.fetchOne(String(meta.uid), { source: true, bodyStructure: true }, { uid: true });
      expect(fetched && fetched.source && Buffer.from(fetched.source).equals(stored)).toBe(true);
      const parts = JSON.stringify(fetched && fetched.bodyStructure);
      expect(parts).toContain('image/png');
    } finally {
      await imap.logout();
    }

    expect((await pop3Retr(t.server.endpoints['practice/pop3s'].port, meta.uniqueId)).equals(stored)).toBe(true);
  });
});
