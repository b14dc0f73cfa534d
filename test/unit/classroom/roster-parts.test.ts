import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from '../../../bridge/classroom/csv.ts';
import { echoReply, firstAddress } from '../../../bridge/classroom/echo.ts';
import { newClassPassword, PASSWORD_ALPHABET } from '../../../bridge/classroom/passwords.ts';
import { namesFromCsv, partnerOf } from '../../../bridge/classroom/roster.ts';

describe('class passwords', () => {
  it('never use characters that are misread aloud or on paper', () => {
    for (const c of '0O1lI') expect(PASSWORD_ALPHABET).not.toContain(c);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = newClassPassword();
      expect(p).toMatch(/^[a-km-np-z2-9]{4}-[a-km-np-z2-9]{4}$/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});

describe('CSV', () => {
  it('round-trips names with commas, quotes and line breaks; reads a spreadsheet export', () => {
    const rows = [
      ['account', 'name'],
      ['student01', 'Doe, "JJ"'],
      ['student02', 'two\nlines'],
    ];
    expect(parseCsv(formatCsv(rows))).toEqual(rows);
    expect(parseCsv('\ufeffname\r\nAda\r\n\r\nGrace\n')).toEqual([['name'], ['Ada'], ['Grace']]);
    expect(formatCsv([['=HYPERLINK("x")']], true)).toBe(`"'=HYPERLINK(""x"")"\r\n`);
  });
  it('takes names from a "name" column or the first one', () => {
    expect(namesFromCsv('id,name\n1,Ada Lovelace\n2,Grace Hopper\n')).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(namesFromCsv('Ada\n\nGrace\n')).toEqual(['Ada', 'Grace']);
  });
});

describe('partners and the echo robot', () => {
  it('pairs each student with the next one, the last with the first, a lone student with echo', () => {
    const students = ['student01', 'student02', 'student03'].map((account) => ({
      account,
      name: account,
      password: 'x',
    }));
    expect(partnerOf({ students }, 'student01')).toBe('student02');
    expect(partnerOf({ students }, 'student03')).toBe('student01');
    expect(partnerOf({ students: students.slice(0, 1) }, 'student01')).toBe('echo');
  });
  it('answers the Return-Path, quotes the message, and never answers an automatic message (RFC 3834)', () => {
    // As stored: final delivery put the envelope sender on top (RFC 5321 section 4.4).
    const msg = Buffer.from(
      'Return-Path: <student01@practice.test>\r\nFrom: Ada <ada@elsewhere.test>\r\n' +
        'Reply-To: list@practice.test\r\nSubject: hello\r\nMessage-ID: <a1@x>\r\n\r\nline one\r\n',
    );
    const reply = echoReply(msg, 'echo@practice.test')!;
    // Section 4: the Return-Path, not Reply-To nor From.
    expect(reply.to).toBe('student01@practice.test');
    const text = reply.raw.toString();
    expect(text).toContain('To: <student01@practice.test>\r\n');
    expect(text).toContain('Subject: Auto: hello\r\n'); // section 3.1.5
    expect(text).toContain('In-Reply-To: <a1@x>\r\n');
    expect(text).toContain('Auto-Submitted: auto-replied\r\n');
    expect(text).toContain('> line one');
    const from = (head: string) => Buffer.from(`Return-Path: <a@practice.test>\r\n${head}\r\n\r\nx`);
    expect(echoReply(from('Auto-Submitted: auto-replied'), 'echo@practice.test')).toBeNull();
    expect(echoReply(from('Precedence: bulk'), 'echo@practice.test')).toBeNull();
    // Section 2: no reply to the null reverse-path, nor to a message with no Return-Path at all.
    expect(
      echoReply(Buffer.from('Return-Path: <>\r\nFrom: a@practice.test\r\n\r\nx'), 'echo@practice.test'),
    ).toBeNull();
    expect(echoReply(Buffer.from('From: a@practice.test\r\n\r\nx'), 'echo@practice.test')).toBeNull();
    expect(echoReply(Buffer.from('Return-Path: <echo@practice.test>\r\n\r\nx'), 'echo@practice.test')).toBeNull();
    expect(firstAddress('"Doe, J" <J@Example.org>')).toBe('j@example.org');
  });
});
