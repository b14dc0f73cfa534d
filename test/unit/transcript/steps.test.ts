import { describe, expect, it } from 'vitest';
import type { Protocol, Transcript, TranscriptEvent } from '../../../app/src/transcript/model.ts';
import { createRecorder } from '../../../app/src/transcript/recorder.ts';
import { partsText, splitSteps } from '../../../app/src/transcript/steps.ts';
import { loadFixture } from './load-fixture.ts';

const summary = (t: Transcript) =>
  splitSteps(t).map(
    (s) => `${s.kind}|${s.label}|${s.status}|${s.complete ? 'done' : 'open'}|${s.tls ? 'tls' : 'clear'}`,
  );

/** Records sent/received chunks given as [direction, text] pairs. */
function chunks(protocol: Protocol, list: Array<['C' | 'S', string]>): Transcript {
  const r = createRecorder({ protocol, target: 'h:1', client: 'test' }, { now: () => 0 });
  for (const [dir, text] of list) (dir === 'C' ? r.sent : r.received)(text);
  return r.transcript();
}

/** The same transcript with every received chunk cut into single bytes. */
function byteByByte(t: Transcript): Transcript {
  return {
    ...t,
    events: t.events.flatMap((e): TranscriptEvent[] =>
      e.kind === 'received' ? Array.from(e.data, (b) => ({ ...e, data: Uint8Array.of(b) })) : [e],
    ),
  };
}

describe('splitSteps on recorded sessions', () => {
  it('SMTP: one step per command and reply, TLS as its own step, the message after 354 as one step', () => {
    expect(summary(loadFixture('smtp-submission.json'))).toEqual([
      'connect|connect practice/submission|220|done|clear',
      'command|EHLO learner.example|250|done|clear',
      'command|STARTTLS|220|done|clear',
      'tls|TLS TLSv1.3 TLS_AES_256_GCM_SHA384|null|done|tls',
      'command|EHLO learner.example|250|done|tls',
      'command|AUTH PLAIN ********|235|done|tls',
      'command|MAIL FROM:<alice@practice.test>|250|done|tls',
      'command|RCPT TO:<bob@practice.test>|250|done|tls',
      'command|RCPT TO:<someone@example.com>|554|done|tls',
      'command|DATA|354|done|tls',
      'command|(message content)|250|done|tls',
      'command|QUIT|221|done|tls',
      'closed|closed by server: the server closed the connection|null|done|tls',
    ]);
  });

  it('IMAP: by tag, with the FETCH literal counted (its lines are not taken for replies)', () => {
    const t = loadFixture('imap-session.json');
    const steps = splitSteps(t);
    expect(steps.filter((s) => s.kind === 'command').map((s) => `${s.label.split(' ')[0]} ${s.status}`)).toEqual([
      'a1 OK',
      'a2 OK',
      'a3 OK',
      'a4 OK',
      'a5 OK',
      'a6 OK',
      'a7 OK',
      'a8 OK',
    ]);
    const fetch = steps.find((s) => s.label.startsWith('a7 '))!;
    expect(partsText(t.events, fetch.received)).toMatch(
      /^\* \d+ FETCH \(UID \d+ BODY\[\] \{\d+\}\r\n[\s\S]*\)\r\na7 OK/,
    );
  });

  it('IMAP: a line inside a literal that looks like the tagged reply does not end the command', () => {
    const body = 'x\r\na1 OK fake\r\n';
    const t = chunks('imap', [
      ['S', '* OK hi\r\n'],
      ['C', 'a1 FETCH 1 BODY[]\r\n'],
      ['S', `* 1 FETCH (BODY[] {${body.length}}\r\n${body})\r\na1 OK done\r\n`],
    ]);
    const step = splitSteps(t)[1]!;
    expect(step.statusLine).toBe('a1 OK done');
  });

  it('POP3: multi-line replies end at ".", single-line ones at the status line', () => {
    expect(summary(loadFixture('pop3-session.json')).map((s) => s.split('|').slice(1, 3).join(' '))).toEqual([
      'connect practice/pop3 +OK',
      'CAPA +OK',
      'STLS +OK',
      'TLS TLSv1.3 TLS_AES_256_GCM_SHA384 null',
      'USER bob +OK',
      'PASS ******** +OK',
      'STAT +OK',
      'LIST +OK',
      'RETR 1 +OK',
      'QUIT +OK',
      'closed by server: the server closed the connection null',
    ]);
  });

  it('gives the same steps whatever the chunking of received bytes', () => {
    for (const name of ['smtp-submission.json', 'imap-session.json', 'pop3-session.json']) {
      const t = loadFixture(name);
      expect(summary(byteByByte(t))).toEqual(summary(t));
    }
  });
});

describe('splitSteps on edge cases', () => {
  it('SMTP PIPELINING: replies in one chunk are split between the commands, in order', () => {
    const t = chunks('smtp', [
      ['S', '220 hi\r\n'],
      ['C', 'MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nRCPT TO:<c@y>\r\nDATA\r\n'],
      ['S', '250 ok\r\n250 ok\r\n550 no\r\n354 go\r\n'],
      ['C', 'body\r\n.\r\n'],
      ['S', '250 queued\r\n'],
    ]);
    const steps = splitSteps(t);
    expect(steps.map((s) => `${s.label}=${s.status}`)).toEqual([
      'greeting=220',
      'MAIL FROM:<a@x>=250',
      'RCPT TO:<b@x>=250',
      'RCPT TO:<c@y>=550',
      'DATA=354',
      '(message content)=250',
    ]);
    expect(partsText(t.events, steps[3]!.received)).toBe('550 no\r\n');
    expect(steps[3]!.received).toEqual([{ event: 2, start: 16, end: 24 }]);
  });

  it('SMTP: a multi-line reply split over chunks completes only at its last line', () => {
    const t = chunks('smtp', [
      ['C', 'EHLO x\r\n'],
      ['S', '250-a\r\n250-'],
      ['S', 'b\r\n250 c\r'],
    ]);
    const step = splitSteps(t).find((s) => s.label === 'EHLO x')!;
    expect(step.complete).toBe(false);
    const done = chunks('smtp', [
      ['C', 'EHLO x\r\n'],
      ['S', '250-a\r\n250-'],
      ['S', 'b\r\n250 c\r\n'],
    ]);
    expect(splitSteps(done).find((s) => s.label === 'EHLO x')).toMatchObject({
      complete: true,
      status: '250',
      statusLine: '250 c',
    });
  });

  it('IMAP: a continuation answer belongs to the command that asked for it', () => {
    const t = chunks('imap', [
      ['C', 'a1 IDLE\r\n'],
      ['S', '+ idling\r\n'],
      ['S', '* 3 EXISTS\r\n'],
      ['C', 'DONE\r\n'],
      ['S', 'a1 OK IDLE done\r\n'],
    ]);
    const steps = splitSteps(t);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ label: 'a1 IDLE', status: 'OK', events: [0, 1, 2, 3, 4] });
  });

  it('unsolicited lines in a row share one step', () => {
    const t = chunks('imap', [
      ['S', '* OK hi\r\n'],
      ['C', 'a1 NOOP\r\n'],
      ['S', 'a1 OK done\r\n'],
      ['S', '* 4 EXISTS\r\n* 1 RECENT\r\n'],
      ['S', '* BYE shutting down\r\n'],
    ]);
    const steps = splitSteps(t);
    expect(steps.map((s) => `${s.kind}:${s.complete}`)).toEqual(['connect:true', 'command:true', 'server:true']);
    expect(partsText(t.events, steps[2]!.received)).toBe('* 4 EXISTS\r\n* 1 RECENT\r\n* BYE shutting down\r\n');
    const smtp = chunks('smtp', [
      ['S', '220 hi\r\n'],
      ['S', '421-going\r\n421 away\r\n'],
    ]);
    expect(splitSteps(smtp).map((s) => `${s.kind}:${s.status}`)).toEqual(['connect:220', 'server:421']);
  });

  it('a command left without an answer stays open', () => {
    const t = chunks('pop3', [
      ['S', '+OK hi\r\n'],
      ['C', 'RETR 1\r\n'],
      ['S', '+OK\r\nline\r\n'],
    ]);
    expect(splitSteps(t).at(-1)).toMatchObject({ label: 'RETR 1', status: '+OK', complete: false });
  });
});
