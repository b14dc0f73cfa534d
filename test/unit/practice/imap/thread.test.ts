// THREAD algorithms (RFC 5256 sections 3-4) and the thread-list response (section 5).
import { describe, expect, it } from 'vitest';
import { parseMimeStructure } from '../../../../bridge/practice/imap/mime-structure.ts';
import { renderThreads, threadMessages } from '../../../../bridge/practice/imap/thread.ts';

const message = (seq: number, headers: string, hour: number) => ({
  seq,
  size: 10,
  internalDate: new Date(Date.UTC(2008, 1, 22, hour)),
  root: parseMimeStructure(new TextEncoder().encode(`${headers}\r\n\r\nx\r\n`)),
});
const thread = (algorithm: 'ORDEREDSUBJECT' | 'REFERENCES', ms: ReturnType<typeof message>[]) =>
  renderThreads(threadMessages(algorithm, ms), (m) => m.seq);

describe('THREAD', () => {
  it('REFERENCES: an older link breaks even when the new one would close a loop (imaptest "thread")', () => {
    const ms = [
      message(1, 'Message-ID: <a@b>', 17),
      message(2, 'Message-Id: <b@b>\r\nReferences: <a@b> <c@b>', 15),
      message(3, 'Message-Id: <c@b>\r\nReferences: <b@b>', 16),
    ];
    expect(thread('REFERENCES', ms)).toBe('(3 2)(1)');
    expect(
      thread(
        'REFERENCES',
        ms.slice(1).map((m, i) => ({ ...m, seq: i + 1 })),
      ),
    ).toBe('(2 1)');
  });

  it('REFERENCES: siblings nest, dummies for missing parents are pruned, In-Reply-To stands in', () => {
    const ms = [
      message(1, 'Message-ID: <r@x>\r\nSubject: root', 1),
      message(2, 'Message-ID: <c1@x>\r\nIn-Reply-To: <r@x>\r\nSubject: Re: root', 2),
      message(3, 'Message-ID: <c2@x>\r\nReferences: <r@x>\r\nSubject: Re: root', 3),
      message(4, 'Message-ID: <g@x>\r\nReferences: <r@x> <c1@x>\r\nSubject: Re: root', 4),
      message(5, 'Message-ID: <o@x>\r\nReferences: <missing@x>\r\nSubject: other', 0),
    ];
    expect(thread('REFERENCES', ms)).toBe('(5)(1 (2 4)(3))');
  });

  it('REFERENCES: threads with one base subject are merged, a reply under the original', () => {
    const ms = [
      message(1, 'Message-ID: <p@x>\r\nSubject: plans', 1),
      message(2, 'Message-ID: <q@x>\r\nSubject: Re: plans', 2),
    ];
    expect(thread('REFERENCES', ms)).toBe('(1 2)');
    const twins = [
      message(1, 'Message-ID: <p@x>\r\nSubject: plans', 1),
      message(2, 'Message-ID: <q@x>\r\nSubject: plans', 2),
    ];
    expect(thread('REFERENCES', twins)).toBe('((1)(2))');
  });

  it('ORDEREDSUBJECT: one thread per base subject, case-folded; the first message parents the rest', () => {
    const ms = [
      message(1, 'Subject: C', 1),
      message(2, 'Subject: b', 2),
      message(3, 'Subject: Re: [FWD: c]', 3),
      message(4, 'Subject: re: c', 4),
      message(5, 'Subject: Fwd: b', 5),
    ];
    expect(thread('ORDEREDSUBJECT', ms)).toBe('(1 (3)(4))(2 5)');
  });

  it('a reply chain 20000 deep threads without overflowing the call stack', () => {
    const ms = Array.from({ length: 20000 }, (_, i) =>
      message(i + 1, `Message-ID: <m${i}@x>${i ? `\r\nIn-Reply-To: <m${i - 1}@x>` : ''}`, 0),
    );
    const out = thread('REFERENCES', ms);
    expect(out.startsWith('(1 2 3 ')).toBe(true);
    expect(out.endsWith(' 19999 20000)')).toBe(true);
  });
});
