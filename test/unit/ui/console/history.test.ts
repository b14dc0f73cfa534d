import { describe, expect, it } from 'vitest';
import { CommandHistory } from '../../../../app/src/ui/console/history.ts';

describe('CommandHistory', () => {
  it('walks back and forth and restores the draft', () => {
    const h = new CommandHistory();
    h.push('EHLO me');
    h.push('MAIL FROM:<a@b>');
    expect(h.up('RCPT')).toBe('MAIL FROM:<a@b>');
    expect(h.up('')).toBe('EHLO me');
    expect(h.up('')).toBe('EHLO me');
    expect(h.down()).toBe('MAIL FROM:<a@b>');
    expect(h.down()).toBe('RCPT');
  });
  it('does not store a repeat of the last line', () => {
    const h = new CommandHistory();
    h.push('NOOP');
    h.push('NOOP');
    expect(h.up('')).toBe('NOOP');
    expect(h.up('')).toBe('NOOP');
    expect(h.down()).toBe('');
  });
});
