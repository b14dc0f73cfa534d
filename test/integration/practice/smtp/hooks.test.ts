// The practice SMTP hooks reach into two internal methods of smtp-server's connections
// (bridge/practice/smtp/hooks.ts). This test fails if an smtp-server upgrade moves them, instead
// of AUTH-before-TLS hiding, our reply texts and the slow/drop scenarios going quietly.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { installConnectionHooks, type HookCounts } from '../../../../bridge/practice/smtp/hooks.ts';
import { createScenarioRegistry } from '../../../../bridge/practice/scenarios.ts';

let server: SMTPServer;
let counts: HookCounts;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_a, _s, cb) => cb(new Error('no')),
  });
  counts = installConnectionHooks(server, {
    mode: 'submission',
    scenarios: createScenarioRegistry(),
    maxSize: 1024,
    maxLine: 1000,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Sends EHLO on a fresh plain connection and returns the EHLO reply. */
function ehlo(): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    let sentEhlo = false;
    s.on('data', (d: Buffer) => {
      got += d.toString();
      if (/^220 /m.test(got) && !sentEhlo) {
        sentEhlo = true;
        s.write('EHLO hooks.example\r\n');
      }
      if (/^250 /m.test(got)) {
        s.end('QUIT\r\n');
        resolve(got);
      }
    });
    s.on('error', reject);
  });
}

describe('smtp-server connection hooks', () => {
  it('install on the server and hook every connection (smtp-server internals still where expected)', async () => {
    expect(counts.installed).toBe(true);
    await ehlo();
    await ehlo();
    expect(counts).toEqual({ installed: true, hooked: 2, missed: 0 });
  });

  it('hide AUTH from EHLO on submission before TLS (RFC 3207 section 4), which smtp-server alone offers', async () => {
    const reply = await ehlo();
    expect(reply).toMatch(/^250[- ]/m);
    expect(reply).not.toMatch(/^250[- ]AUTH\b/m);
  });
});
