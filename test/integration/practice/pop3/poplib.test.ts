// Python's poplib (the client of the seed transcripts) against the practice POP3 server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has, HOST, run, startFixture, type Pop3Fixture } from './harness.ts';

const SCRIPT = String.raw`
import json, poplib, ssl, sys
host, port, tls_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
out = {}
p = poplib.POP3(host, port, timeout=10)
out['welcome'] = p.getwelcome().decode()
out['capa_before'] = sorted(p.capa().keys())
out['stls'] = p.stls(context=ctx).decode()
out['capa_after'] = sorted(p.capa().keys())
out['user'] = p.user('alice').decode()
out['pass'] = p.pass_('practice').decode()
count, size = p.stat()
out['stat'] = [count, size]
resp, listing, _ = p.list()
out['list'] = [l.decode() for l in listing]
resp, lines, octets = p.retr(count)
out['retr'] = {'resp': resp.decode(), 'lines': [l.decode('latin1') for l in lines], 'octets': octets}
resp, uids, _ = p.uidl()
out['uidl'] = [u.decode() for u in uids]
resp, top, _ = p.top(count, 1)
out['top'] = [l.decode('latin1') for l in top]
out['dele'] = p.dele(count).decode()
out['quit'] = p.quit().decode()
p = poplib.POP3_SSL(host, tls_port, context=ctx, timeout=10)
p.user('alice@practice.test'); p.pass_('practice')
out['stat_after'] = list(p.stat())
try:
    p.retr(999)
except poplib.error_proto as e:
    out['retr_missing'] = str(e)
p.quit()
print(json.dumps(out))
`;

describe.skipIf(!has('python3'))('POP3 with Python poplib (needs python3)', () => {
  let fx: Pop3Fixture;
  beforeAll(async () => {
    fx = await startFixture();
  }, 30_000);
  afterAll(async () => fx?.close());

  it('stls, user/pass, stat, list, retr, uidl, top, dele, quit; then POP3_SSL sees the deletion', async () => {
    const body = '.starts with a dot\r\nplain line\r\n..two dots\r\n';
    await fx.store.deliver(
      ['alice@practice.test'],
      Buffer.from(`Subject: from test\r\nFrom: bob@practice.test\r\n\r\n${body}`),
    );
    const inbox = fx.store.forAccount('alice').mailbox('INBOX')!;
    const metas = inbox.messages();
    const r = await run('python3', ['-c', SCRIPT, HOST, String(fx.plainPort), String(fx.tlsPort)]);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.welcome).toBe('+OK mail.practice.test POP3 practice server ready');
    expect(out.capa_before).toEqual(expect.arrayContaining(['STLS', 'USER', 'SASL', 'UIDL', 'TOP']));
    expect(out.capa_after).not.toContain('STLS');
    expect(out.pass).toMatch(/^\+OK/);
    expect(out.stat).toEqual([metas.length, metas.reduce((s, m) => s + m.size, 0)]);
    expect(out.list).toEqual(metas.map((m, i) => `${i + 1} ${m.size}`));
    // poplib undoes the dot-stuffing: the lines are the message's own lines
    expect(out.retr.lines.slice(-3)).toEqual(['.starts with a dot', 'plain line', '..two dots']);
    expect(out.uidl).toEqual(metas.map((m, i) => `${i + 1} ${m.uniqueId}`));
    expect(out.top).toEqual(['Subject: from test', 'From: bob@practice.test', '', '.starts with a dot']);
    expect(out.dele).toMatch(/^\+OK/);
    expect(out.quit).toMatch(/^\+OK/);
    expect(out.stat_after[0]).toBe(metas.length - 1);
    expect(out.retr_missing).toMatch(/^b?'-ERR There is no message 999/);
    expect(inbox.messages().map((m) => m.uid)).toEqual(metas.slice(0, -1).map((m) => m.uid));
  }, 30_000);
});
