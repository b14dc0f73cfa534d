// Placeholders in ```send blocks: {user} {password} {domain} {address} {peer} {peerAddress}
// {nonce} {date} {studio} and {base64:...}. {date} is now as an RFC 5322 date-time, for `Date:`. {nonce} is fresh for each run of a lesson, so a message or a
// greylisted sender/recipient pair is new every time. Inside {base64:...} other placeholders work and \0 is a NUL byte, so
// AUTH PLAIN (RFC 4616: authzid NUL authcid NUL passwd) reads `{base64:\0{user}\0{password}}`.
// {{ and }} stand for literal braces (an IMAP literal such as {5} is written {{5}}).

import { dotStuffLines } from '../protocols/common/dot-stuffing.ts';
import type { PlaceholderValues } from './types.ts';
import { base64Encode } from '../protocols/common/bytes.ts';

export const SIMPLE_PLACEHOLDERS = ['user', 'password', 'domain', 'address', 'peer', 'peerAddress', 'nonce', 'date', 'studio'] as const;
type SimpleName = (typeof SIMPLE_PLACEHOLDERS)[number];

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'name'; name: SimpleName }
  | { kind: 'base64'; inner: Token[] };

export class PlaceholderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlaceholderError';
  }
}

const isSimple = (s: string): s is SimpleName => (SIMPLE_PLACEHOLDERS as readonly string[]).includes(s);

/** Parses a template into tokens; throws PlaceholderError with a teacher-facing sentence. */
function tokenize(src: string, pos: { i: number }, nested: boolean): Token[] {
  const out: Token[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ kind: 'text', text });
    text = '';
  };
  while (pos.i < src.length) {
    const c = src[pos.i];
    if (c === '{' && src[pos.i + 1] === '{') {
      text += '{';
      pos.i += 2;
    } else if (c === '}' && src[pos.i + 1] === '}' && !nested) {
      text += '}';
      pos.i += 2;
    } else if (c === '}') {
      if (nested) {
        flush();
        return out;
      }
      throw new PlaceholderError('a lone `}` has no matching `{`; write `}}` for a literal brace.');
    } else if (c === '\\' && nested && src[pos.i + 1] === '0') {
      text += '\0';
      pos.i += 2;
    } else if (c === '{') {
      flush();
      const rest = src.slice(pos.i + 1);
      if (rest.startsWith('base64:')) {
        pos.i += 1 + 'base64:'.length;
        const inner = tokenize(src, pos, true);
        if (src[pos.i] !== '}') throw new PlaceholderError('`{base64:` is never closed; end it with `}`, e.g. `{base64:\\0{user}\\0{password}}`.');
        pos.i += 1;
        out.push({ kind: 'base64', inner });
        continue;
      }
      const m = /^([A-Za-z0-9_:.-]*)\}/.exec(rest);
      if (!m) throw new PlaceholderError('a `{` starts a placeholder that is never closed; write `{{` for a literal brace.');
      const name = m[1];
      if (!isSimple(name)) {
        throw new PlaceholderError(
          `unknown placeholder {${name}}; use one of ${SIMPLE_PLACEHOLDERS.map((n) => `{${n}}`).join(' ')} or {base64:...}` +
            (/^\d+$/.test(name) ? `, or write {{${name}}} for a literal such as an IMAP {${name}}.` : '.'),
        );
      }
      out.push({ kind: 'name', name });
      pos.i += 1 + m[0].length;
    } else {
      text += c;
      pos.i += 1;
    }
  }
  if (nested) throw new PlaceholderError('`{base64:` is never closed; end it with `}`.');
  flush();
  return out;
}

/** Checks a send template; returns the names it uses. Throws PlaceholderError when it is malformed. */
export function placeholdersIn(template: string): string[] {
  const names = new Set<string>();
  const walk = (tokens: Token[]) => {
    for (const t of tokens) {
      if (t.kind === 'name') names.add(t.name);
      else if (t.kind === 'base64') {
        names.add('base64');
        walk(t.inner);
      }
    }
  };
  walk(tokenize(template, { i: 0 }, false));
  return [...names];
}

/** Fills a send template. {studio} without a studio message throws PlaceholderError. */
export function fillPlaceholders(template: string, values: PlaceholderValues): string {
  const render = (tokens: Token[]): string =>
    tokens
      .map((t) => {
        if (t.kind === 'text') return t.text;
        if (t.kind === 'base64') return base64Encode(new TextEncoder().encode(render(t.inner)));
        return valueOf(t.name, values);
      })
      .join('');
  return render(tokenize(template, { i: 0 }, false));
}

function valueOf(name: SimpleName, v: PlaceholderValues): string {
  switch (name) {
    case 'user':
      return v.user;
    case 'password':
      return v.password;
    case 'domain':
      return v.domain;
    case 'address':
      return `${v.user}@${v.domain}`;
    case 'peer':
      return v.peer;
    case 'peerAddress':
      return `${v.peer}@${v.domain}`;
    case 'nonce':
      return v.nonce;
    case 'date':
      return v.date ?? rfc5322Date(new Date());
    case 'studio':
      if (v.studio === undefined) throw new PlaceholderError('{studio} needs the message built in the MIME studio; build it first.');
      return dotStuff(v.studio);
  }
}

/** RFC 5322 section 3.3 date-time, in UTC: "Thu, 03 Dec 2026 13:40:18 +0000". */
export function rfc5322Date(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${day}, ${two(d.getUTCDate())} ${month} ${d.getUTCFullYear()} ${time} +0000`;
}

/** RFC 5321 4.5.2: a line of message content that starts with "." gets one more "." in DATA. */
export const dotStuff = dotStuffLines;

/** Base64 (RFC 4648 section 4), one implementation for every pure module. */
export { base64Encode };

/** A fresh {nonce}: 10 lowercase letters and digits (fits a local part, a subject, a search). */
export function newNonce(random: () => number = Math.random): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)];
  return s;
}

/** The placeholders prose, intros and hints may use. Never {password}: the text is projected in class. */
export const PROSE_PLACEHOLDERS = ['user', 'domain', 'address', 'peer', 'peerAddress', 'nonce'] as const;

/**
 * Fills {user} {domain} {address} {peer} {peerAddress} {nonce} in prose (intro, steps and hints) so
 * a class with its own accounts reads its own names, and {base64:...} of them (placeholders
 * inside, \0 a NUL byte) so a hint can show what to type. Anything else in braces is left as written.
 */
export function fillProse(markdown: string, v: PlaceholderValues): string {
  const known: Record<string, string> = {
    user: v.user,
    domain: v.domain,
    address: `${v.user}@${v.domain}`,
    peer: v.peer,
    peerAddress: `${v.peer}@${v.domain}`,
    // Before a run starts there is no nonce yet: leave {nonce} as written rather than show nothing.
    ...(v.nonce ? { nonce: v.nonce } : {}),
  };
  const simple = (s: string) => s.replace(/\{([A-Za-z]+)\}/g, (m, name: string) => known[name] ?? m);
  return simple(
    markdown.replace(/\{base64:((?:[^{}]|\{[A-Za-z]+\})*)\}/g, (_m, inner: string) =>
      base64Encode(new TextEncoder().encode(simple(inner).replace(/\\0/g, '\0'))),
    ),
  );
}

/** A step's hint as the learner reads it: placeholders filled (null when the step has none). */
export function hintText(step: { hint: string | null }, v: PlaceholderValues): string | null {
  return step.hint === null ? null : fillProse(step.hint, v);
}
