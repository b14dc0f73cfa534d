// The transcript readers of `npm run explain`: Python reprs decoded byte for byte, a real imaplib
// debug log (with the literals it leaves out stood in for by exactly as many octets), C:/S: lines,
// JSON that is not a transcript refused in words, and the protocol guessed from the first reply.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  guessProtocol,
  pyLiteral,
  readInput,
  TranscriptInputError,
  type Step,
} from '../../../app/src/transcript/read-logs.ts';

const text = (s: Step) => new TextDecoder().decode(s.data);
const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/transcripts');

describe('pyLiteral', () => {
  it('decodes bytes reprs one char per byte and str reprs as UTF-8', () => {
    expect([...pyLiteral(String.raw`b'250-SIZE\r\n'`)!]).toEqual([...Buffer.from('250-SIZE\r\n')]);
    expect([...pyLiteral(String.raw`b'\xc3\xa9'`)!]).toEqual([0xc3, 0xa9]);
    expect([...pyLiteral(String.raw`'\u00e9'`)!]).toEqual([0xc3, 0xa9]); // é in UTF-8
    expect([...pyLiteral(String.raw`b"it's"`)!]).toEqual([...Buffer.from("it's")]);
    expect(pyLiteral('not a repr')).toBeNull();
  });
});

describe('readInput', () => {
  it('reads a real imaplib debug log, standing in for each literal with as many octets', () => {
    const input = readInput(readFileSync(path.join(FIXTURES, 'imaplib-debug4.txt'), 'utf8'));
    expect(input.format).toBe('Python debug output');
    expect(input.protocol).toBe('imap');
    expect(text(input.steps[0]!)).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 /);
    expect(input.steps[1]).toMatchObject({ dir: 'C' });
    expect(text(input.steps[1]!)).toBe('CDOJ0 CAPABILITY\r\n');
    const standIns = input.steps.filter((s) => s.note);
    expect(standIns).toHaveLength(3);
    for (const s of standIns) {
      const size = Number(/the (\d+) literal octets/.exec(s.note!)![1]);
      // A client's literal ends its command line; a server's is followed by the rest of its response.
      expect(s.data.length).toBe(s.dir === 'C' ? size + 2 : size);
    }
  });

  it('reads C:/S: lines, a line without a prefix continuing the one before', () => {
    const input = readInput('S: 220 mx ready\nC: EHLO me\nS: 250-mx\n250 SIZE\n');
    expect(input.format).toBe('C:/S: lines');
    expect(input.steps.map((s) => [s.dir, text(s)])).toEqual([
      ['S', '220 mx ready\r\n'],
      ['C', 'EHLO me\r\n'],
      ['S', '250-mx\r\n'],
      ['S', '250 SIZE\r\n'],
    ]);
    expect(guessProtocol(input.steps)).toBe('smtp');
  });

  it('refuses JSON that is no transcript, saying what to give', () => {
    expect(() => readInput('{"hello": 1}')).toThrow(TranscriptInputError);
    expect(() => readInput('{"hello": 1}')).toThrow(/neither a mailwire transcript export/);
    expect(() => readInput('{ not json')).toThrow(/not valid JSON/);
  });

  it('guesses POP3 and IMAP from the first server line', () => {
    expect(guessProtocol(readInput('+OK POP3 ready\n').steps)).toBe('pop3');
    expect(guessProtocol(readInput('* OK IMAP4rev1 ready\n').steps)).toBe('imap');
    expect(guessProtocol(readInput('hello there\n').steps)).toBeUndefined();
  });
});
