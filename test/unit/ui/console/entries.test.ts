import { describe, expect, it } from 'vitest';
import { showLineEnds, splitKeepingEnds } from '../../../../app/src/ui/console/entries.ts';

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
