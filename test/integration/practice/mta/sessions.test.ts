// The recorded outbound sessions survive a kill -9 (bridge/practice/mta/sessions.ts): a child
// mailwire records a bounce's session (faraway.test answers 550 5.1.1) and a queued message's
// failed connection (unreachable.test), is killed with SIGKILL, and a new one on the same data dir
// serves the same transcripts through /api/queue. Then the bounds and the unreadable-file rule of
// the session files, on a directory of their own. Mail is submitted with Python's smtplib.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRACTICE_HOSTS } from '../../../../app/src/protocols/dns/zones.ts';
import { TRANSCRIPT_SCHEMA_VERSION, type Transcript } from '../../../../app/src/transcript/model.ts';
import { importJsonValue } from '../../../../app/src/transcript/import-json.ts';
import { decodeUtf8 } from '../../../../app/src/transcript/bytes.ts';
import type { QueueBody } from '../../../../app/src/wire/queue.ts';
import {
  encodeSessions,
  KEEP_SESSIONS,
  MAX_FILE_OCTETS,
  openSessionStore,
  type NumberedHop,
} from '../../../../bridge/practice/mta/sessions.ts';
import { freePort, has } from '../../../helpers/peers.ts';
import { submitOne } from './python.ts';

const skip = has('python3') ? false : 'python3 is not installed';
const CHILD = path.join(import.meta.dirname, 'mailwire-child.ts');
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

interface Child {
  proc: ChildProcess;
  url: string;
  submission: number;
}
function startChild(args: { dataDir: string; mxPort: number }): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (.*)$/m.exec(out);
      if (m) resolve({ proc, ...(JSON.parse(m[1]!) as { url: string; submission: number }) });
    });
    proc.once('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before READY: ${err}`)));
  });
}

const queue = async (c: Child): Promise<QueueBody> => (await fetch(new URL('/api/queue', c.url))).json();
const transcript = async (c: Child, id: string, n: number) => {
  const res = await fetch(new URL(`/api/queue/transcript?id=${id}&n=${n}`, c.url));
  return { status: res.status, body: (await res.json()) as unknown };
};
const replies = (json: unknown) => {
  const t = importJsonValue(json);
  if (!t.ok) throw new Error(t.error.message);
  return t.transcript.events
    .filter((e) => e.kind === 'received')
    .map((e) => decodeUtf8((e as { data: Uint8Array }).data))
    .join('');
};

describe.skipIf(skip)(`recorded sessions and kill -9${skip ? ` (skipped: ${skip})` : ''}`, { timeout: 90_000 }, () => {
  it('a bounced and a queued message keep their transcripts across SIGKILL and a restart', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mailwire-sessions-'));
    dirs.push(dataDir);
    const mxPort = await freePort(PRACTICE_HOSTS['mx1.faraway.test']);
    const first = await startChild({ dataDir, mxPort });
    const submit = async (to: string, subject: string) => {
      const sent = await submitOne(first.submission, { user: 'alice', from: 'alice@practice.test', to: [to], subject });
      expect(sent).toMatchObject({ code: 250 });
    };
    await submit('nobody@faraway.test', 'sessions-1'); // 550 5.1.1 at RCPT: bounced at once
    await submit('someone@unreachable.test', 'sessions-2'); // nobody answers: waits a minute
    await expect
      .poll(async () => {
        const q = await queue(first);
        return [q.recent.map((r) => r.outcome), q.messages.map((m) => m.attempts)];
      })
      .toEqual([['bounced'], [1]]);
    const before = await queue(first);
    const bounced = before.recent[0]!.id;
    const waiting = before.messages[0]!;
    expect(waiting.transcripts.map((t) => t.n)).toEqual([1]);
    const bounceHop = await transcript(first, bounced, 1);
    const waitingHop = await transcript(first, waiting.id, 1);
    expect(bounceHop.status).toBe(200);
    expect(replies(bounceHop.body)).toMatch(/^550 5\.1\.1 /m);
    expect(waitingHop.status).toBe(200);

    // On disk beside the queue files, before the kill: no AUTH, no password, in any of them.
    const files = (await readdir(path.join(dataDir, 'queue'))).filter((f) => f.endsWith('.sessions')).sort();
    expect(files).toEqual([`${bounced}.sessions`, `${waiting.id}.sessions`].sort());
    for (const f of files) {
      const text = await readFile(path.join(dataDir, 'queue', f), 'utf8');
      expect(text).not.toMatch(/AUTH /);
      expect(text).not.toContain('practice"');
      expect(text).not.toContain(Buffer.from('\0alice\0practice').toString('base64'));
    }

    const exited = new Promise((resolve) => first.proc.once('exit', (_code, signal) => resolve(signal)));
    first.proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // As if mailwire stayed down past the next try: the restart tries it at once, numbering after the loaded sessions.
    const queueFile = path.join(dataDir, 'queue', `${waiting.id}.json`);
    const entry = JSON.parse(await readFile(queueFile, 'utf8')) as { nextAttempt: string };
    await writeFile(queueFile, JSON.stringify({ ...entry, nextAttempt: new Date(0).toISOString() }));

    const second = await startChild({ dataDir, mxPort });
    const after = await queue(second);
    // Where the bounce went, and its session, as before the kill.
    expect(after.recent.find((r) => r.id === bounced)).toMatchObject({ outcome: 'bounced', domain: 'faraway.test' });
    expect(await transcript(second, bounced, 1)).toEqual(bounceHop);
    // The queued message: its session is still there, and the restart's own try is session 2.
    expect(after.messages.map((m) => m.id)).toEqual([waiting.id]);
    await expect.poll(async () => (await queue(second)).messages[0]?.transcripts.map((t) => t.n)).toEqual([1, 2]);
    expect((await queue(second)).messages[0]!.transcripts[0]).toEqual(waiting.transcripts[0]);
    expect(await transcript(second, waiting.id, 1)).toEqual(waitingHop);
    expect((await transcript(second, waiting.id, 2)).status).toBe(200);
    second.proc.kill('SIGTERM');
  });
});

describe('the session files (sessions.ts)', () => {
  const hop = (n: number, reply: string): NumberedHop => {
    const transcript: Transcript = {
      version: TRANSCRIPT_SCHEMA_VERSION,
      meta: { protocol: 'smtp', target: 'mx1.faraway.test:25', startedAt: new Date(0).toISOString(), client: 'test' },
      events: [{ t: 0, kind: 'received', data: new TextEncoder().encode(reply) }],
    };
    return { n, host: 'mx1.faraway.test', startedAt: new Date(0).toISOString(), transcript };
  };

  it('keeps the last KEEP_SESSIONS sessions and stays under MAX_FILE_OCTETS, dropping the oldest', () => {
    const many = Array.from({ length: KEEP_SESSIONS + 5 }, (_, i) => hop(i + 1, `250 ok ${i + 1}\r\n`));
    const kept = JSON.parse(encodeSessions('ABC', { next: many.length + 1, list: many, outcomes: [] })) as {
      list: Array<{ n: number }>;
    };
    expect(kept.list.map((h) => h.n)).toEqual(many.slice(-KEEP_SESSIONS).map((h) => h.n));
    // Junk from a server: each session nearly 100 KiB, so only the newest two fit.
    const big = [1, 2, 3, 4].map((n) => hop(n, `250 ${'x'.repeat(100 * 1024)}\r\n`));
    const text = encodeSessions('ABC', { next: 5, list: big, outcomes: [] });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_FILE_OCTETS);
    expect((JSON.parse(text) as { list: Array<{ n: number }> }).list.map((h) => h.n)).toEqual([3, 4]);
  });

  it('masks a credential if one were ever recorded, and removes files it cannot read', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mailwire-session-files-'));
    dirs.push(dir);
    await mkdir(path.join(dir, 'tmp'));
    const store = openSessionStore(dir);
    const auth = hop(1, '235 ok\r\n');
    const line = new TextEncoder().encode('AUTH PLAIN AGFsaWNlAHByYWN0aWNl\r\n');
    auth.transcript.events.unshift({ t: 0, kind: 'sent', data: line, secret: [{ start: 11, end: 31 }] });
    await store.put('ABC', { next: 2, list: [auth], outcomes: [] });
    const text = await readFile(path.join(dir, 'ABC.sessions'), 'utf8');
    expect(text).not.toContain('AGFsaWNlAHByYWN0aWNl');
    await writeFile(path.join(dir, 'BAD.sessions'), '{"id":"BAD"');
    await writeFile(path.join(dir, 'OTHER.sessions'), text); // a file named for another message
    const loaded = await store.load();
    expect([...loaded.byId.keys()]).toEqual(['ABC']);
    expect(loaded.unreadable.sort()).toEqual(['BAD.sessions', 'OTHER.sessions']);
    expect((await readdir(dir)).sort()).toEqual(['ABC.sessions', 'tmp']);
  });
});
