import { describe, expect, it } from 'vitest';
import { exportRfcText, exportSwaksText, printableLine } from '../../../app/src/transcript/export-text.ts';
import { createRecorder } from '../../../app/src/transcript/recorder.ts';
import { loadFixture, readFixture } from './load-fixture.ts';

describe('plain-text exports of a recorded SMTP session', () => {
  const t = loadFixture('smtp-submission.json');

  it('RFC 5321 Appendix D style matches the expected file', () => {
    expect(exportRfcText(t)).toBe(readFixture('smtp-submission.rfc.txt'));
  });
  it('swaks style matches the expected file', () => {
    expect(exportSwaksText(t)).toBe(readFixture('smtp-submission.swaks.txt'));
  });

  it('RFC style: every protocol line is "C: " or "S: ", in wire order, dot-stuffing kept', () => {
    const lines = exportRfcText(t).trimEnd().split('\n');
    const proto = lines.filter((l) => !l.startsWith('   ['));
    expect(proto.every((l) => /^[CS]: /.test(l))).toBe(true);
    expect(proto[0]).toMatch(/^S: 220 /);
    expect(proto[1]).toBe('C: EHLO learner.example');
    expect(proto).toContain('C: ..this line starts with a dot, so the client doubles it on the wire (RFC 5321 4.5.2).');
    expect(proto.at(-2)).toBe('C: QUIT');
    expect(proto.at(-1)).toMatch(/^S: 221 /);
    // The count of C:/S: lines equals the count of CRLF-terminated lines in the sent/received bytes.
    const count = (kind: string) =>
      t.events
        .filter((e) => e.kind === kind)
        .reduce((n, e) => n + (e as { data: Uint8Array }).data.filter((b) => b === 10).length, 0);
    expect(proto.filter((l) => l.startsWith('C: '))).toHaveLength(count('sent'));
    expect(proto.filter((l) => l.startsWith('S: '))).toHaveLength(count('received'));
  });

  it('swaks style: arrows change at the TLS upgrade and refused replies are flagged', () => {
    const lines = exportSwaksText(t).trimEnd().split('\n');
    const tlsAt = lines.findIndex((l) => l.startsWith('=== TLS started'));
    expect(tlsAt).toBeGreaterThan(0);
    expect(lines.slice(0, tlsAt).every((l) => /^( ->|<- |<\*\*|===) /.test(l))).toBe(true);
    expect(lines.slice(tlsAt + 1).every((l) => /^( ~>|<~ |<~\*|===) /.test(l))).toBe(true);
    expect(lines.find((l) => l.includes('someone@example.com') && l.startsWith('<~*'))).toMatch(/^<~\* 554 /);
  });
});

describe('printableLine', () => {
  it('drops the line end and shows other control bytes', () => {
    expect(printableLine(Uint8Array.from([0x41, 0x00, 0x0d, 0x42, 0x0d, 0x0a]))).toBe('A\\x00\\rB');
    expect(printableLine(new TextEncoder().encode('héllo\n'))).toBe('héllo');
  });
  it('shows an error event with *** in swaks style', () => {
    const r = createRecorder({ protocol: 'smtp', target: 'mail.example:25', client: 'test' }, { now: () => 0 });
    r.error('CONNECT_REFUSED', 'Nothing listens on mail.example:25.');
    expect(exportSwaksText(r.transcript())).toBe('*** CONNECT_REFUSED: Nothing listens on mail.example:25.\n');
  });
});
