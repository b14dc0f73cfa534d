import { describe, expect, it } from 'vitest';
import { CommandFramer, type FramerEvent } from '../../../../bridge/practice/imap/framer.ts';

const enc = new TextEncoder();
const limits = { maxLineLength: 100, maxLiteralSize: 1000 };
const feedAll = (f: CommandFramer, ...parts: string[]): FramerEvent[] => parts.flatMap((p) => f.feed(enc.encode(p)));

describe('CommandFramer', () => {
  it('frames lines split across chunks and several commands in one chunk', () => {
    const f = new CommandFramer(limits);
    const events = feedAll(f, 'a NO', 'OP\r\nb CAPA', 'BILITY\r\nc LOGOUT\r\n');
    expect(events.map((e) => (e.kind === 'frame' ? e.frame.lines[0] : e.kind))).toEqual([
      'a NOOP',
      'b CAPABILITY',
      'c LOGOUT',
    ]);
  });

  it('asks for a synchronising literal and splices it in, bytes exact', () => {
    const f = new CommandFramer(limits);
    const first = feedAll(f, 'a LOGIN {5}\r\n');
    expect(first).toEqual([{ kind: 'continue', size: 5 }]);
    expect(f.midCommand).toBe(true);
    const rest = feedAll(f, 'al\r\n', 'c practice\r\n');
    expect(rest).toHaveLength(1);
    const frame = rest[0].kind === 'frame' ? rest[0].frame : null;
    expect(frame?.lines).toEqual(['a LOGIN ', ' practice']);
    expect(new TextDecoder().decode(frame?.literals[0])).toBe('al\r\nc');
  });

  it('lets an ID line run to about 32 KB, as RFC 2971 section 3.3 allows, and no further', () => {
    const f = new CommandFramer(limits);
    const pairs = Array.from({ length: 30 }, (_, i) => `"${String(i).padEnd(30, 'f')}" "${'v'.repeat(1024)}"`).join(
      ' ',
    );
    const events = feedAll(f, 'a I', `D (${pairs})\r\n`, `b NOOP ${'x'.repeat(200)}\r\n`);
    expect(events.map((e) => e.kind)).toEqual(['frame', 'reject']);
    const huge = feedAll(f, `c ID ("a" "${'v'.repeat(40 * 1024)}")\r\nd NOOP\r\n`);
    expect(huge.map((e) => e.kind)).toEqual(['reject', 'frame']);
  });

  it('takes a LITERAL+ without a continuation request', () => {
    const f = new CommandFramer(limits);
    const events = feedAll(f, 'a APPEND INBOX {3+}\r\nxyz\r\n');
    expect(events.map((e) => e.kind)).toEqual(['frame']);
  });

  it('refuses a synchronising literal over the limit but keeps going; a LITERAL+ one is fatal', () => {
    const f = new CommandFramer(limits);
    const [sync] = feedAll(f, 'a APPEND INBOX {5000}\r\n');
    expect(sync).toMatchObject({ kind: 'reject', tag: 'a', code: 'LITERAL_TOO_BIG', fatal: false });
    expect(feedAll(f, 'b NOOP\r\n')[0]).toMatchObject({ kind: 'frame' });
    const [plus] = feedAll(new CommandFramer(limits), 'c APPEND INBOX {5000+}\r\n');
    expect(plus).toMatchObject({ kind: 'reject', tag: 'c', fatal: true });
  });

  it('rejects an over-long line once, skips the rest of it, and recovers at the next line', () => {
    const f = new CommandFramer(limits);
    const events = feedAll(f, 'a NOOP ' + 'x'.repeat(150), 'y'.repeat(300), '\r\nb NOOP\r\n');
    expect(events.map((e) => e.kind)).toEqual(['reject', 'frame']);
    expect(events[0]).toMatchObject({ tag: 'a', code: 'LINE_TOO_LONG' });
  });

  it('reset() drops a half-received command (used after STARTTLS)', () => {
    const f = new CommandFramer(limits);
    feedAll(f, 'a APPEND INBOX {10+}\r\nabc');
    f.reset();
    expect(feedAll(f, 'b NOOP\r\n')).toEqual([{ kind: 'frame', frame: { lines: ['b NOOP'], literals: [] } }]);
  });
});

describe('CommandFramer literal gate', () => {
  it('refuses a synchronising literal the gate declines, before any "+", and expects no literal bytes', () => {
    const f = new CommandFramer(limits, (head) => (head.includes('APPEND') ? ['OVERQUOTA', 'full'] : null));
    const [refused] = feedAll(f, 'a APPEND INBOX {10}\r\n');
    expect(refused).toMatchObject({ kind: 'reject', tag: 'a', code: 'REFUSED', text: '[OVERQUOTA] full' });
    expect(feedAll(f, 'b NOOP\r\n')[0]).toMatchObject({ kind: 'frame', frame: { lines: ['b NOOP'] } });
    expect(feedAll(f, 'c LOGIN {3}\r\n')).toEqual([{ kind: 'continue', size: 3 }]);
  });
});

describe('CommandFramer bounds', () => {
  it('refuses a command made of endless empty literals', () => {
    const f = new CommandFramer(limits);
    const events = feedAll(f, 'a X ' + '{0+}\r\n'.repeat(1005) + 'end\r\n');
    expect(events[0]).toMatchObject({ kind: 'reject', tag: 'a', text: 'More than 1000 literals in one command.' });
  });
});
