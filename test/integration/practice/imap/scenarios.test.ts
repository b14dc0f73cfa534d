// Replays the IMAP scenarios in test/fixtures/imap-scenarios/*.txt against the practice server and
// against a real Dovecot on a loopback port, and compares them line by line: tagged status, the
// untagged responses and codes the file declares, and FETCH items (see the README there).
// Both start each scenario from the same mail: the practice welcome message plus the .eml files
// in test/fixtures/imap/, appended to alice's INBOX in the same order (so UIDs agree too).
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, startPractice, type Practice } from './harness.ts';
import { DOVECOT, IS_ROOT, startDovecotImap, type DovecotImap } from './dovecot-peer.ts';
import {
  checkAgainstFile,
  compareReplies,
  expungedOriginals,
  fetchItems,
  parseReply,
  parseScenario,
  practiceOnly,
  type Reply,
  type Step,
} from './scenarios-lib.ts';

const HOST = '127.0.0.1';
const SCENARIOS = path.resolve('test/fixtures/imap-scenarios');
const SEEDS = path.resolve('test/fixtures/imap');
const scenarioNames = (await readdir(SCENARIOS)).filter((f) => f.endsWith('.txt')).sort();
const seedNames = (await readdir(SEEDS)).filter((f) => f.endsWith('.eml')).sort();
// Scenarios of extensions Dovecot 2.3 lacks (README: practice-only) are played on the practice
// server only; the comparison checks that Dovecot still lacks the capability and says why.
const marks = new Map(
  await Promise.all(
    scenarioNames.map(async (n) => [n, practiceOnly(await readFile(path.join(SCENARIOS, n), 'utf8'))] as const),
  ),
);
const comparedNames = scenarioNames.filter((n) => !marks.get(n));
const practiceOnlyNames = scenarioNames.filter((n) => marks.get(n));

async function load(name: string): Promise<Step[]> {
  return parseScenario(name, await readFile(path.join(SCENARIOS, name), 'utf8'));
}

/**
 * How long one step may take. It was 5 s, and on a loaded machine the first SORT of sort.txt (the
 * first command that reads every message: Dovecot builds its sort index then) once took longer: its
 * reply then arrived while the next step was read and was compared as that step's, a difference in
 * SORT data that was really a timeout. Now a step waits as long as a loaded machine needs, and a
 * timeout ends the replay (later steps read "(after a timeout)"), so no reply is ever compared
 * with another step's. The scenario's test timeout below bounds the whole replay.
 */
const STEP_TIMEOUT_MS = 30_000;
const SCENARIO_TIMEOUT_MS = 150_000;

/** Runs one scenario on a fresh connection; the replies, one per step. */
async function replay(port: number, steps: Step[], stepTimeoutMs = STEP_TIMEOUT_MS): Promise<Reply[]> {
  const c = await RawClient.connect(port);
  let timedOut = false;
  // $UIDVALIDITY, $HIGHESTMODSEQ...: the last data of that response code from this server (README).
  const codes = new Map<string, string>();
  try {
    const replies: Reply[] = [];
    for (const step of steps) {
      if (c.closed || timedOut) {
        replies.push(parseReply(step.tag, timedOut ? '(after a timeout)' : '(connection closed)'));
        continue;
      }
      // A LITERAL+ literal goes straight after its line; one more CRLF ends the command.
      const line = step.line.replace(/\$([A-Z]+)/g, (all, name: string) => codes.get(name) ?? all);
      c.write(`${[line, ...step.literal].join('\r\n')}\r\n${step.literal.length ? `${step.after ?? ''}\r\n` : ''}`);
      const done = new RegExp(`(^|\\r\\n)${escape(step.tag)} (OK|NO|BAD)[^\\r\\n]*\\r\\n`);
      const text = await c
        .readUntil((t) => done.test(t), stepTimeoutMs)
        .catch((e: Error) => {
          timedOut = true;
          return `(no tagged reply within ${stepTimeoutMs} ms: ${e.message})`;
        });
      const reply = parseReply(step.tag, text);
      for (const code of [...reply.untagged.map((u) => u.code), ...reply.codes])
        if (code?.data) codes.set(code.name, code.data.split(' ')[0]);
      replies.push(reply);
    }
    return replies;
  } finally {
    c.close();
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Runs setup commands, then appends messages to alice's INBOX (LITERAL+), without selecting it. */
async function seed(port: number, messages: Buffer[], commands: string[] = []): Promise<void> {
  const c = await RawClient.connect(port);
  try {
    const login = await c.command('s0', 'LOGIN alice practice');
    if (!/s0 OK/.test(login)) throw new Error(`seed login failed: ${login}`);
    for (const [i, command] of commands.entries()) {
      const reply = await c.command(`m${i}`, command);
      if (!new RegExp(`m${i} OK`).test(reply)) throw new Error(`setup ${command} failed: ${reply}`);
    }
    for (const [i, m] of messages.entries()) {
      c.write(`s${i + 1} APPEND INBOX {${m.length}+}\r\n`);
      c.write(m);
      c.write('\r\n');
      const reply = await c.readUntil((t) => new RegExp(`s${i + 1} (OK|NO|BAD)`).test(t));
      if (!new RegExp(`s${i + 1} OK`).test(reply)) throw new Error(`seed APPEND failed: ${reply}`);
    }
    await c.command('sz', 'LOGOUT');
  } finally {
    c.close();
  }
}

describe('reading replies for the comparison', () => {
  it('treats a literal and a quoted string as the same FETCH value, and leaves INTERNALDATE out', () => {
    const a = parseReply(
      'a1',
      '* 1 FETCH (UID 2 BODY[HEADER.FIELDS (SUBJECT)] {11}\r\nSubject: hi INTERNALDATE "x")\r\na1 OK done\r\n',
    );
    const b = parseReply(
      'a1',
      '* 1 FETCH (INTERNALDATE "y" BODY[HEADER.FIELDS (SUBJECT)] "Subject: hi" UID 2)\r\na1 OK Fetch completed.\r\n',
    );
    expect(a.status).toBe('OK');
    expect([...fetchItems(a).get(1)!.keys()]).toEqual(['UID', 'BODY[HEADER.FIELDS (SUBJECT)]']);
    const step = parseScenario('t', 'a1 FETCH 1 UID\n=> OK *FETCH\n')[0];
    expect(compareReplies(step, a, b)).toEqual([]);
    const c = parseReply('a1', '* 1 FETCH (UID 3)\r\na1 OK\r\n');
    expect(compareReplies(step, a, c).map((d) => d.aspect)).toContain('fetch');
  });
  it('compares EXPUNGE by the messages removed, not the order they were reported in', () => {
    expect(expungedOriginals([3, 2])).toEqual([2, 3]);
    expect(expungedOriginals([2, 2])).toEqual([2, 3]);
    expect(expungedOriginals([1, 1, 2])).toEqual([1, 2, 4]);
  });
  it('checks the size a LITERAL+ line declares against its "..." lines', () => {
    expect(parseScenario('t', 'a1 APPEND INBOX {6+}\n... abcd\n=> OK\n')[0].literal).toEqual(['abcd']);
    expect(() => parseScenario('t', 'a1 APPEND INBOX {5+}\n... abcd\n=> OK\n')).toThrow(/holds 6 octets/);
  });
  it('refuses a client line without an expectation', () => {
    expect(() => parseScenario('t', 'a1 NOOP\na2 NOOP\n=> OK\n')).toThrow(/no "=>" expectation/);
  });
});

describe('replaying a scenario', () => {
  it("never reads a late reply as the next step's: a step that times out ends the replay", async () => {
    // A server that answers a1 only once a2 arrives (as a slow first SORT once did): before, a1
    // timed out, a2 was sent, and a1's SORT data was compared as a2's.
    const server = net.createServer((socket) => {
      socket.write('* OK slow server\r\n');
      let buffer = '';
      socket.on('data', (d) => {
        buffer += d.toString('latin1');
        if (buffer.includes('a2 ')) socket.write('* SORT 1 2 3\r\na1 OK late\r\n* SORT 3 2 1\r\na2 OK\r\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    try {
      const steps = parseScenario(
        't',
        'a1 SORT (ARRIVAL) UTF-8 ALL\n=> OK *SORT=\na2 SORT (REVERSE ARRIVAL) UTF-8 ALL\n=> OK *SORT=\n',
      );
      const [r1, r2] = await replay((server.address() as net.AddressInfo).port, steps, 300);
      expect(r1.text).toMatch(/no tagged reply within 300 ms/);
      expect(r2.text).toBe('(after a timeout)');
      expect(r2.untagged).toEqual([]);
    } finally {
      server.close();
    }
  });
});

describe('IMAP scenario files are well formed', () => {
  it.each(scenarioNames)('%s', async (name) => {
    const steps = await load(name);
    expect(steps.length).toBeGreaterThan(0);
    const header = (await readFile(path.join(SCENARIOS, name), 'utf8')).split('\n')[0];
    expect(header, 'the first line cites the RFC').toMatch(/^# RFC (3501|9051|\d+) section/);
  });
});

describe('IMAP scenarios against the practice server (the file is the reference)', () => {
  let p: Practice;
  let seeds: Buffer[];
  beforeAll(async () => {
    p = await startPractice();
    seeds = await Promise.all(seedNames.map((n) => readFile(path.join(SEEDS, n))));
  });
  afterAll(async () => {
    await p?.close();
  });
  it.each(scenarioNames)(
    '%s',
    async (name) => {
      const steps = await load(name);
      await p.store.reset();
      await seed(p.plain.port, seeds);
      const replies = await replay(p.plain.port, steps);
      expect(judge(name, steps, replies, null).failures).toEqual([]);
    },
    SCENARIO_TIMEOUT_MS,
  );
});

describe.skipIf(!DOVECOT || !IS_ROOT)('IMAP scenarios compared with Dovecot (needs dovecot and root)', () => {
  let p: Practice;
  let dovecot: DovecotImap | undefined;
  let dovecotPort = 0;
  let seeds: Buffer[];
  const report: string[] = [];

  beforeAll(async () => {
    p = await startPractice();
    seeds = await Promise.all(seedNames.map((n) => readFile(path.join(SEEDS, n))));
    dovecot = await startDovecotImap();
    dovecotPort = dovecot.port;
  }, 40_000);

  afterAll(async () => {
    if (report.length) console.log(`IMAP differences from Dovecot:\n${report.join('\n')}`);
    await dovecot?.stop();
    await p?.close();
  });

  it.each(practiceOnlyNames)('%s: not compared, as Dovecot lacks the capability it needs', async (name) => {
    const mark = marks.get(name)!;
    console.log(`${name}: played on the practice server only: ${mark.reason}`);
    const c = await RawClient.connect(dovecotPort);
    try {
      const caps = (await c.command('c1', 'CAPABILITY')) + (await c.command('c2', 'LOGIN alice practice'));
      // Once Dovecot offers it, the scenario can be compared: drop the practice-only line.
      expect(caps.toUpperCase().split(/[\s[\]]+/)).not.toContain(mark.capability.toUpperCase());
    } finally {
      c.close();
    }
  });

  it.each(comparedNames)(
    '%s: same statuses, declared responses and FETCH data as Dovecot',
    async (name) => {
      const steps = await load(name);
      // Fresh mail on both: our store reset (welcome message, UID 1), Dovecot's maildir removed and
      // the same welcome bytes appended; then the same seeds on both.
      await p.store.reset();
      const inbox = p.store.forAccount('alice').mailbox('INBOX')!;
      const welcome = (await inbox.read(inbox.messages()[0].uid))!;
      await rm(path.join(dovecot!.dir, 'mail', 'alice'), { recursive: true, force: true });
      await seed(
        dovecotPort,
        [welcome],
        [
          'CREATE Drafts',
          'CREATE Sent',
          'CREATE Trash',
          ...['INBOX', 'Drafts', 'Sent', 'Trash'].map((m) => `SUBSCRIBE ${m}`),
        ],
      );
      await seed(p.plain.port, seeds);
      await seed(dovecotPort, seeds);

      const theirs = await replay(dovecotPort, steps);
      const ours = await replay(p.plain.port, steps);
      if (process.env.IMAP_SCENARIO_DUMP) {
        // Both transcripts side by side, for reading a difference by eye.
        const dump = steps
          .map(
            (s, i) =>
              `C: ${[s.line, ...s.literal].join('\n')}\n--- ours\n${ours[i].text}--- dovecot\n${theirs[i].text}`,
          )
          .join('\n');
        await writeFile(path.join(process.env.IMAP_SCENARIO_DUMP, `${name}.log`), dump);
      }
      const { failures, notes } = judge(name, steps, ours, theirs);
      report.push(...notes);
      expect(await greetingOf(dovecotPort)).toMatch(/Dovecot/); // it really was Dovecot that answered
      expect(failures).toEqual([]);
    },
    SCENARIO_TIMEOUT_MS,
  );
});

/**
 * Holds each step to the file and, given Dovecot's replies, to Dovecot. A "~ bug" step must still
 * show our deviation (so a fix is noticed and the marker removed); other "~" lines excuse Dovecot.
 */
function judge(
  name: string,
  steps: Step[],
  ours: Reply[],
  theirs: Reply[] | null,
): { failures: string[]; notes: string[] } {
  const failures: string[] = [];
  const notes: string[] = [];
  for (const [i, step] of steps.entries()) {
    const where = `${name}:${step.lineNo} ${step.line}`;
    const bug = step.known.get('bug');
    const ourProblems = checkAgainstFile(step, ours[i]);
    if (bug) {
      if (!ourProblems.length) failures.push(`${where}: now agrees with the file; remove its "~ bug" line`);
      else notes.push(`${where}: known practice-server bug (${bug}): ${ourProblems.join('; ')}`);
    } else for (const x of ourProblems) failures.push(`${where}: ours: ${x}`);
    if (!theirs) continue;
    for (const x of checkAgainstFile(step, theirs[i])) {
      const aspect = /^tagged \S+, the file/.test(x)
        ? 'status'
        : (/\[[A-Z-]+\]/.exec(x)?.[0] ?? `*${/untagged (\S+)/.exec(x)?.[1]}`);
      const reason = step.known.get(aspect) ?? step.known.get(`*${aspect}`);
      if (reason) notes.push(`${where}: Dovecot: ${x} (known: ${reason})`);
      else failures.push(`${where}: Dovecot: ${x}`);
    }
    for (const d of compareReplies(step, ours[i], theirs[i])) {
      const reason = step.known.get(d.aspect) ?? bug;
      if (reason) notes.push(`${where}: ${d.detail} (known: ${reason})`);
      else failures.push(`${where}: ${d.detail}`);
    }
  }
  return { failures, notes };
}

async function greetingOf(port: number): Promise<string> {
  const s = net.connect({ host: HOST, port });
  const text = await new Promise<string>((resolve) => {
    s.once('data', (d) => resolve(d.toString('latin1')));
    s.once('error', () => resolve(''));
  });
  s.destroy();
  return text;
}
