// `openssl s_client -starttls pop3` against the STLS port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has, HOST, run, startFixture, type Pop3Fixture } from './harness.ts';

describe.skipIf(!has('openssl'))('POP3 with openssl s_client -starttls pop3 (needs openssl)', () => {
  let fx: Pop3Fixture;
  beforeAll(async () => {
    fx = await startFixture();
  }, 30_000);
  afterAll(async () => fx?.close());

  it('negotiates TLS after STLS, presents the practice certificate, then serves USER/PASS/STAT', async () => {
    const r = await run(
      'openssl',
      [
        's_client',
        '-starttls',
        'pop3',
        '-connect',
        `${HOST}:${fx.plainPort}`,
        '-crlf',
        '-ign_eof',
        '-servername',
        'mail.practice.test',
      ],
      { input: 'CAPA\nUSER alice\nPASS practice\nSTAT\nQUIT\n' },
    );
    expect(r.stdout).toMatch(/subject=.*CN\s*=\s*mail\.practice\.test/);
    const after = r.stdout; // s_client prints only what came after the handshake
    expect(after).toMatch(/\+OK Capability list follows\r?\n(?:.*\r?\n)*?USER\r?\n/);
    expect(after).not.toMatch(/^STLS\r?$/m);
    expect(after).toMatch(/\+OK Logged in as alice@practice\.test/);
    const count = fx.store.forAccount('alice').mailbox('INBOX')!.messages().length;
    expect(after).toMatch(new RegExp(`\\+OK ${count} \\d+`));
    expect(after).toMatch(/\+OK mail\.practice\.test closing the connection/);
  }, 30_000);
});
