import { describe, expect, it } from 'vitest';
import { base64Encode, dotStuff, fillPlaceholders, fillProse, newNonce } from '../../../app/src/lessons/placeholders.ts';

const values = { user: 'alice', password: 'practice', domain: 'practice.test', peer: 'bob', nonce: 'n0nce' };
// Reference encoder from Node, to compare the pure one against.
const nodeB64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('fillPlaceholders', () => {
  it('fills the simple names', () => {
    expect(fillPlaceholders('MAIL FROM:<{address}> RCPT TO:<{peerAddress}> {user} {peer} {domain} {nonce}', values)).toBe(
      'MAIL FROM:<alice@practice.test> RCPT TO:<bob@practice.test> alice bob practice.test n0nce',
    );
  });

  it('builds AUTH PLAIN (RFC 4616: NUL user NUL password) with base64', () => {
    const line = fillPlaceholders('AUTH PLAIN {base64:\\0{user}\\0{password}}', values);
    expect(line).toBe(`AUTH PLAIN ${nodeB64('\0alice\0practice')}`);
    expect(line).toBe('AUTH PLAIN AGFsaWNlAHByYWN0aWNl');
    expect(fillPlaceholders('{base64:{user}}', values)).toBe('YWxpY2U=');
  });

  it('keeps literal braces written as {{ and }}', () => {
    expect(fillPlaceholders('a1 LOGIN {{5}}', values)).toBe('a1 LOGIN {5}');
  });

  it('inserts the studio message dot-stuffed, and refuses {studio} without one', () => {
    expect(fillPlaceholders('{studio}\n.', { ...values, studio: 'Subject: x\r\n\r\n.hidden\r\nend\r\n' })).toBe('Subject: x\n\n..hidden\nend\n.');
    expect(() => fillPlaceholders('{studio}', values)).toThrow('{studio} needs the message built in the MIME studio');
  });

  it('rejects unknown and unclosed placeholders with a sentence', () => {
    expect(() => fillPlaceholders('{pass}', values)).toThrow(/^unknown placeholder \{pass\}; use one of \{user\}/);
    expect(() => fillPlaceholders('{base64:{user}', values)).toThrow('`{base64:` is never closed');
    expect(() => fillPlaceholders('x }', values)).toThrow('a lone `}` has no matching `{`');
  });
});

describe('base64Encode', () => {
  it('agrees with Node for every padding case and for non-ASCII', () => {
    for (const s of ['', 'a', 'ab', 'abc', 'abcd', '\0alice\0practice', 'héllo wörld ✉', 'x'.repeat(100)]) {
      expect(base64Encode(new TextEncoder().encode(s))).toBe(nodeB64(s));
    }
  });
});

describe('dotStuff', () => {
  it('doubles a leading dot on every line (RFC 5321 4.5.2) and drops the final line end', () => {
    expect(dotStuff('.a\n..b\nc.\n')).toBe('..a\n...b\nc.');
  });
});

describe('fillProse', () => {
  it('fills names but leaves passwords and other braces alone', () => {
    expect(fillProse('Send to {peerAddress} as {user}; {password} {5} {base64:x}', values)).toBe('Send to bob@practice.test as alice; {password} {5} eA==');
  });
});

describe('newNonce', () => {
  it('is 10 characters of [a-z0-9] and differs between runs', () => {
    const a = newNonce();
    expect(a).toMatch(/^[a-z0-9]{10}$/);
    expect(newNonce()).not.toBe(a);
  });
});
