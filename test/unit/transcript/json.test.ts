import { describe, expect, it } from 'vitest';
import { exportJson } from '../../../app/src/transcript/export-json.ts';
import { importJson } from '../../../app/src/transcript/import-json.ts';
import { MASK } from '../../../app/src/transcript/mask.ts';
import { createRecorder } from '../../../app/src/transcript/recorder.ts';
import { loadFixture } from './load-fixture.ts';

function binarySession() {
  let now = 1_700_000_000_000;
  const r = createRecorder(
    { protocol: 'pop3', target: 'mail.example:110', client: 'test' },
    { now: () => (now += 7.5) },
  );
  r.opened({
    remote: { target: 'mail.example:110', host: 'mail.example', port: 110, address: '127.0.0.1', family: 'IPv4' },
    tls: null,
  });
  r.received('+OK ready\r\n');
  r.sent('USER bob\r\n');
  r.received('+OK\r\n');
  r.sent('PASS hunter2\r\n');
  r.received('+OK\r\n');
  r.sent('RETR 1\r\n');
  r.received(
    Uint8Array.from([0x2b, 0x4f, 0x4b, 0x0d, 0x0a, 0x00, 0xff, 0xfe, 0x0d, 0x0d, 0x0a, 0x0a, 0x2e, 0x0d, 0x0a]),
  ); // NUL, bad UTF-8, bare CR and LF
  r.error('CONNECTION_RESET', 'The server reset the connection.');
  r.closed('server', 'reset');
  return r.transcript();
}

describe('JSON export and import', () => {
  it('is lossless with reveal: bytes (binary included), CR/LF, timing and secret ranges', () => {
    for (const t of [
      binarySession(),
      loadFixture('smtp-submission.json'),
      loadFixture('imap-session.json'),
      loadFixture('pop3-session.json'),
    ]) {
      const back = importJson(exportJson(t, { reveal: true }));
      expect(back).toEqual({ ok: true, transcript: t });
    }
  });

  it('writes valid UTF-8 as text and anything else as base64', () => {
    const doc = JSON.parse(exportJson(binarySession(), { reveal: true }));
    expect(doc.mailwireTranscript).toBe(1);
    expect(doc.events[1]).toEqual({ t: 15, kind: 'received', text: '+OK ready\r\n' });
    expect(doc.events[7].base64).toBe(
      Buffer.from([0x2b, 0x4f, 0x4b, 0x0d, 0x0a, 0x00, 0xff, 0xfe, 0x0d, 0x0d, 0x0a, 0x0a, 0x2e, 0x0d, 0x0a]).toString(
        'base64',
      ),
    );
    expect(doc.events[7].text).toBeUndefined();
  });

  it('masks by default and the import keeps the mark', () => {
    const back = importJson(exportJson(binarySession()));
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    const pass = back.transcript.events[4]!;
    expect(pass).toMatchObject({ kind: 'sent', masked: true, secret: [{ start: 5, end: 5 + MASK.length }] });
    expect(new TextDecoder().decode((pass as { data: Uint8Array }).data)).toBe(`PASS ${MASK}\r\n`);
  });

  const bad: Array<[string, string, string]> = [
    ['not JSON', '{"mailwireTranscript":', 'NOT_JSON'],
    ['no version field', '{"meta":{}}', 'NOT_A_TRANSCRIPT'],
    ['a future version', '{"mailwireTranscript":2,"meta":{},"events":[]}', 'UNSUPPORTED_VERSION'],
    [
      'an unknown protocol',
      '{"mailwireTranscript":1,"meta":{"protocol":"nntp","target":"x","startedAt":"2026-01-01T00:00:00Z","client":"c"},"events":[]}',
      'BAD_META',
    ],
    [
      'a bad date',
      '{"mailwireTranscript":1,"meta":{"protocol":"smtp","target":"x","startedAt":"yesterday","client":"c"},"events":[]}',
      'BAD_META',
    ],
  ];
  const meta = '"meta":{"protocol":"smtp","target":"x","startedAt":"2026-01-01T00:00:00Z","client":"c"}';
  bad.push(
    ['an unknown kind', `{"mailwireTranscript":1,${meta},"events":[{"t":0,"kind":"hello"}]}`, 'BAD_EVENT'],
    ['a negative time', `{"mailwireTranscript":1,${meta},"events":[{"t":-1,"kind":"sent","text":"x"}]}`, 'BAD_EVENT'],
    [
      'both text and base64',
      `{"mailwireTranscript":1,${meta},"events":[{"t":0,"kind":"sent","text":"x","base64":"eA=="}]}`,
      'BAD_DATA',
    ],
    ['broken base64', `{"mailwireTranscript":1,${meta},"events":[{"t":0,"kind":"sent","base64":"e*=="}]}`, 'BAD_DATA'],
    [
      'a secret range past the data',
      `{"mailwireTranscript":1,${meta},"events":[{"t":0,"kind":"sent","text":"PASS x\\r\\n","secret":[[5,99]]}]}`,
      'BAD_SECRET_RANGE',
    ],
    [
      'events out of order',
      `{"mailwireTranscript":1,${meta},"events":[{"t":5,"kind":"sent","text":"a"},{"t":4,"kind":"sent","text":"b"}]}`,
      'EVENTS_OUT_OF_ORDER',
    ],
    [
      'a closed event by nobody',
      `{"mailwireTranscript":1,${meta},"events":[{"t":0,"kind":"closed","by":"moon","reason":""}]}`,
      'BAD_EVENT',
    ],
  );
  for (const [what, text, code] of bad) {
    it(`refuses ${what} with ${code} and a sentence`, () => {
      const r = importJson(text);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe(code);
      expect(r.error.message).toMatch(/^[A-Z"a-z].{15,}[.)]$/);
    });
  }
  it('names the place of a bad event', () => {
    const r = importJson(
      `{"mailwireTranscript":1,${meta},"events":[{"t":0,"kind":"sent","text":"a"},{"t":1,"kind":"sent"}]}`,
    );
    expect(r.ok ? '' : r.error.message).toContain('events[1]');
  });
});
