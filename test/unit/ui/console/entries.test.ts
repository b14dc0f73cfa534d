import { describe, expect, it } from 'vitest';
import {
  replyMark,
  showLineEnds,
  splitKeepingEnds,
  type ConsoleEntry,
} from '../../../../app/src/ui/console/entries.ts';

describe('showLineEnds', () => {
  it('marks CR and LF and the lone dot that ends DATA', () => {
    expect(showLineEnds('Hello\r\n.\r\n')).toBe('Hello␍␊\n·␍␊  ← end of data\n');
  });
  it('shows a bare LF as only ␊, so the learner sees the CR is missing', () => {
    expect(showLineEnds('EHLO me\n')).toBe('EHLO me␊\n');
  });
});

describe('splitKeepingEnds', () => {
  it('keeps each line end and the trailing partial line', () => {
    expect(splitKeepingEnds('250-a\r\n250 b\r\n* OK')).toEqual(['250-a\r\n', '250 b\r\n', '* OK']);
  });
});

describe('replyMark', () => {
  const row = (kind: ConsoleEntry['kind'], reply?: number, outcome?: ConsoleEntry['outcome']): ConsoleEntry => ({
    id: 0,
    kind,
    time: 0,
    text: '',
    reply,
    outcome,
  });
  it("puts the outcome in words on a reply's first row only", () => {
    const log = [
      row('client'),
      row('server', 0, 'success'),
      row('server', 0, 'success'),
      row('server', 1, 'permanent'),
      row('info'),
      row('server', 2, 'info'),
    ];
    expect(log.map((_, i) => replyMark(log, i))).toEqual(['', 'ok', '', 'failed', '', '']);
  });
});
