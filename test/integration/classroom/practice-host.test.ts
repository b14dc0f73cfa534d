// --practice-host: the classic lab, where students' own programs talk to the practice ports.
// Bound to 0.0.0.0 the ports answer on every address of the machine (here 127.0.0.2 stands for
// the classroom network address, as it is not the default 127.0.0.1); the bridge still dials
// loopback; a student's own Python smtplib program sends with their password and is still refused
// relaying outside the practice domain. The default listens on 127.0.0.1 only.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startPractice, type RunningPractice } from '../../../bridge/practice/index.ts';
import { has } from '../../helpers/peers.ts';
import { ZERO_PORTS } from '../practice/smtp/helpers.ts';

const running: RunningPractice[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function start(host?: string): Promise<RunningPractice> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mw-practice-host-'));
  dirs.push(dataDir);
  const s = await startPractice(
    practiceConfigWithDefaults({ dataDir, ports: ZERO_PORTS, classSize: 2, ...(host ? { host } : {}) }),
    () => {},
  );
  running.push(s);
  return s;
}

const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

// A student's own program: log in on submission with STARTTLS, send to self, then try outside.
const PROGRAM = String.raw`
import smtplib, ssl, sys, json
host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP(host, port); s.starttls(context=ctx); s.login(user, password)
me = user + '@practice.test'
s.sendmail(me, [me], 'From: <%s>\r\nTo: <%s>\r\nSubject: my own client\r\n\r\nhello me\r\n' % (me, me))
try:
    s.sendmail(me, ['someone@example.org'], 'Subject: out\r\n\r\nx\r\n'); outside = 'sent'
except smtplib.SMTPRecipientsRefused as e:
    code, msg = list(e.recipients.values())[0]; outside = '%d %s' % (code, msg.decode())
s.quit()
print(json.dumps({'outside': outside}))
`;

describe('--practice-host', () => {
  it('by default the practice ports answer on 127.0.0.1 only', async () => {
    const s = await start();
    const port = s.endpoints['practice/submission'].port;
    expect(await reachable('127.0.0.1', port)).toBe(true);
    expect(await reachable('127.0.0.2', port)).toBe(false);
  });

  it.skipIf(!has('python3'))(
    "0.0.0.0 lets a student's own program in, with their password, never relaying out",
    async () => {
      const s = await start('0.0.0.0');
      const ep = s.endpoints['practice/submission'];
      expect(ep.host).toBe('127.0.0.1'); // what the bridge dials
      expect(await reachable('127.0.0.2', ep.port)).toBe(true);
      const [one] = s.roster!.students;
      const { stdout } = await promisify(execFile)(
        'python3',
        ['-c', PROGRAM, '127.0.0.2', String(ep.port), one!.account, one!.password],
        { timeout: 20_000 },
      );
      expect(JSON.parse(stdout).outside).toMatch(/^554 5\.7\.1 <someone@example\.org>: Relay access denied/);
      const inbox = s.store.forAccount(one!.account).mailbox('INBOX')!.messages();
      expect(inbox).toHaveLength(2);
    },
  );
});
