import { connect, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MimeError } from '../../../app/src/mime/errors.ts';
import { countStuffedLines, dotStuff, dotUnstuff } from '../../../app/src/mime/smtp-data.ts';
import { EXAMPLES, exampleOptions } from '../../../app/src/mime/examples.ts';
import { generate } from '../../../app/src/mime/generate.ts';
import { seededRandom } from '../../../app/src/mime/headers.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

describe('SMTP DATA dot-stuffing (RFC 5321 4.5.2)', () => {
  it('doubles a leading dot on every line and ends with CRLF . CRLF', () => {
    const payload = dec.decode(dotStuff(enc.encode('.first\r\nmid.dle\r\n.\r\n..two\r\n')));
    expect(payload).toBe('..first\r\nmid.dle\r\n..\r\n...two\r\n.\r\n');
    expect(countStuffedLines(enc.encode('.first\r\nmid.dle\r\n.\r\n..two\r\n'))).toBe(3);
  });

  it('adds the missing CRLF before the final dot', () => {
    expect(dec.decode(dotStuff(enc.encode('no final line break')))).toBe('no final line break\r\n.\r\n');
    expect(dec.decode(dotStuff(new Uint8Array(0)))).toBe('.\r\n');
  });

  it('round-trips messages full of dot lines, and the payload never ends early', () => {
    const rnd = seededRandom(21);
    for (let i = 0; i < 200; i++) {
      const lines = Array.from(rnd(1 + (i % 12)), (b) => ['.', '..', '.x', 'x.', '', 'text'][b % 6]);
      const msg = enc.encode(lines.join('\r\n') + '\r\n');
      const payload = dotStuff(msg);
      const text = dec.decode(payload);
      expect(text.indexOf('\r\n.\r\n')).toBe(text.length - 5);
      expect(text.slice(0, -3).split('\r\n').includes('.')).toBe(false);
      expect(Array.from(dotUnstuff(payload))).toEqual(Array.from(msg));
    }
  });

  it('refuses a payload without the final dot line', () => {
    try {
      dotUnstuff(enc.encode('hello\r\n'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MimeError);
      expect((e as MimeError).code).toBe('DATA_NOT_TERMINATED');
    }
  });
});

// The real receiver: the smtp-server package on loopback undoes the stuffing.
describe('a real SMTP server (smtp-server) receives the payload as the original message', () => {
  let server: SMTPServer;
  let port = 0;
  const received: Uint8Array[] = [];
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push(new Uint8Array(Buffer.concat(chunks)));
          done();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function send(payload: Uint8Array): Promise<string> {
    return new Promise((resolve, reject) => {
      const sock = connect(port, '127.0.0.1');
      let buf = '';
      let log = '';
      const steps = [
        'EHLO client.practice.test\r\n',
        'MAIL FROM:<a@practice.test>\r\n',
        'RCPT TO:<b@practice.test>\r\n',
        'DATA\r\n',
        payload,
        'QUIT\r\n',
      ];
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        // Send the next step after each complete final reply line (a space after the code).
        while (/^\d{3} [^\r\n]*\r\n/m.test(buf)) {
          buf = buf.replace(/^[\s\S]*?^\d{3} [^\r\n]*\r\n/m, (m) => {
            log += m;
            return '';
          });
          const next = steps.shift();
          if (next === undefined) break;
          sock.write(next);
        }
      });
      sock.on('close', () => resolve(log));
      sock.on('error', reject);
    });
  }

  it('delivers an example with dot lines byte for byte', async () => {
    const base = generate(EXAMPLES[0].message, exampleOptions('plain')).bytes;
    const msg = new Uint8Array([...base, ...enc.encode('\r\n.\r\n..two dots\r\n.leading\r\n')]);
    const log = await send(dotStuff(msg));
    expect(log).toMatch(/^250 /m);
    expect(dec.decode(received.at(-1))).toBe(dec.decode(msg));
  });
});
