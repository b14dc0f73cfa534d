import { describe, expect, it } from 'vitest';
import { ImapSyntaxError, parseCommand, type Token } from '../../../../bridge/practice/imap/parser.ts';

const dec = new TextDecoder();
const parse = (line: string, literals: string[] = []) => {
  const lines = line.split('{LIT}');
  return parseCommand({ lines, literals: literals.map((l) => new TextEncoder().encode(l)) });
};
const simple = (t: Token): unknown =>
  t.type === 'list' ? t.items.map(simple) : t.type === 'atom' ? t.value : `"${dec.decode(t.value)}"`;

describe('parseCommand', () => {
  it('reads tag, upper-cased command and UID prefix', () => {
    expect(parse('A1 uid fetch 1:* (FLAGS)')).toMatchObject({ tag: 'A1', name: 'FETCH', uid: true });
    expect(parse('x login alice practice')).toMatchObject({ name: 'LOGIN', uid: false });
  });

  it('reads quoted strings with escapes, nested lists, flags and NIL', () => {
    const cmd = parse('t STORE 1 +FLAGS (\\Seen $Work) "a \\"b\\" \\\\c" (x (y z)) NIL');
    expect(cmd.args.map(simple)).toEqual(['1', '+FLAGS', ['\\Seen', '$Work'], '"a "b" \\c"', ['x', ['y', 'z']], 'NIL']);
  });

  it('keeps a BODY[section]<partial> with spaces and parentheses as one atom', () => {
    const cmd = parse('t FETCH 1 (UID BODY.PEEK[HEADER.FIELDS (From To)]<0.100> BODY[1.2])');
    expect(cmd.args.map(simple)).toEqual(['1', ['UID', 'BODY.PEEK[HEADER.FIELDS (From To)]<0.100>', 'BODY[1.2]']]);
  });

  it('reads "[" and "]" as plain astring characters outside a fetch-att section (RFC 3501 section 9)', () => {
    expect(parse('t CREATE a]b').args.map(simple)).toEqual(['a]b']);
    expect(parse('t SELECT x[y').args.map(simple)).toEqual(['x[y']);
    // imaptest's "atoms" group: every ATOM-CHAR and "]" in one mailbox name.
    expect(parse('t LIST "" !#$&\'+,-.0123456789:;<=>?@^_`|[}%*').args.map(simple)).toEqual([
      '""',
      "!#$&'+,-.0123456789:;<=>?@^_`|[}%*",
    ]);
    expect(parse('t FETCH 1 (BINARY.PEEK[1]<0.5> BODY[])').args.map(simple)).toEqual([
      '1',
      ['BINARY.PEEK[1]<0.5>', 'BODY[]'],
    ]);
  });

  it('splices literals in as strings, also inside lists', () => {
    const cmd = parse('t LOGIN {LIT} {LIT}', ['al ice', 'pa"ss']);
    expect(cmd.args.map(simple)).toEqual(['"al ice"', '"pa"ss"']);
    const listed = parse('t X ({LIT} b)', ['a\r\nb']);
    expect(listed.args.map(simple)).toEqual([['"a\r\nb"', 'b']]);
  });

  it.each([
    ['', 'Every command starts with a tag'],
    ['A1', 'Missing command name'],
    ['A1 LOGIN "unterminated', 'not closed with "'],
    ['A1 X (a b', 'not closed with ")"'],
    ['A1 X BODY[1', 'not closed with "]"'],
    ['A1 X a\u0001b', 'Control characters'],
    ['A1 X  a', 'separated by one space'],
    ['A1 X "\\n"', 'may be escaped'],
    ['+ NOOP', 'Every command starts with a tag'],
    ['\u0000\u001b[2J NOOP', 'Every command starts with a tag'],
  ])('rejects %j with a clear sentence', (line, sentence) => {
    expect(() => parse(line)).toThrowError(ImapSyntaxError);
    expect(() => parse(line)).toThrowError(sentence);
  });

  it('keeps the tag on syntax errors so the BAD can be tagged', () => {
    try {
      parse('T9 LOGIN "x');
    } catch (err) {
      expect((err as ImapSyntaxError).tag).toBe('T9');
    }
    expect.assertions(1);
  });

  it('refuses lists nested absurdly deep instead of overflowing the stack', () => {
    expect(() => parse('t X ' + '('.repeat(100) + ')'.repeat(100))).toThrowError('nested too deeply');
  });
});
