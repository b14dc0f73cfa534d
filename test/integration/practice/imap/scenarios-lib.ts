// Reads IMAP scenario files (test/fixtures/imap-scenarios/README.md) and the replies a server sent,
// and compares two servers' replies at protocol level: tagged status, declared untagged responses
// and response codes, and FETCH data items. Texts are never compared.

export interface Expectation {
  status: 'OK' | 'NO' | 'BAD';
  /** Response codes the tagged reply must carry, e.g. READ-WRITE, TRYCREATE. */
  taggedCodes: string[];
  /** Untagged responses both servers must send; `equal` also compares their data. */
  untagged: Array<{ name: string; code: boolean; equal: boolean; atoms: string[] }>;
  /** Untagged responses neither server may send. */
  absent: string[];
}

export interface Step {
  line: string; // the client line, tag included
  /** Lines of a LITERAL+ literal that follow the client line ("... " lines), CRLF each. */
  literal: string[];
  /** What the command line holds after the literal ("after: " line), e.g. ")" closing UTF8 (~{n}. */
  after?: string;
  tag: string;
  expect: Expectation;
  /**
   * Known differences: aspect ("status", "fetch", "*NAME", "[CODE]") -> why Dovecot may differ
   * there; "bug" -> a reported bug of the practice server, which must still show (see README).
   */
  known: Map<string, string>;
  lineNo: number;
}

/**
 * A scenario the practice server plays but Dovecot cannot: the header line
 * `# practice-only CAPABILITY: reason` names the capability Dovecot lacks (README).
 */
export function practiceOnly(text: string): { capability: string; reason: string } | null {
  const m = /^# practice-only (\S+): (.+)$/m.exec(text);
  return m ? { capability: m[1], reason: m[2] } : null;
}

export function parseScenario(name: string, text: string): Step[] {
  const steps: Step[] = [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  lines.forEach((raw, i) => {
    const where = `${name}:${i + 1}`;
    if (!raw.trim() || raw.startsWith('#')) return;
    const last = steps[steps.length - 1];
    if (raw.startsWith('=> ')) {
      if (!last || last.expect.status !== undefined) throw new Error(`${where}: "=>" must follow a client line`);
      last.expect = parseExpectation(raw.slice(3), where);
      return;
    }
    if (raw === '...' || raw.startsWith('... ')) {
      if (!last || last.expect.status !== undefined)
        throw new Error(`${where}: "..." lines follow a client line ending in {n+}`);
      last.literal.push(raw.slice(4));
      return;
    }
    if (raw.startsWith('after: ')) {
      if (!last || last.expect.status !== undefined || !last.literal.length)
        throw new Error(`${where}: "after:" follows the "..." lines of a literal`);
      last.after = raw.slice(7);
      return;
    }
    if (raw.startsWith('~ ')) {
      const m = /^~ (bug|status|fetch|\*[A-Z]+|\*?\[[A-Z-]+\]) (.+)$/.exec(raw);
      if (!m || !last) throw new Error(`${where}: a known difference reads "~ <aspect> <reason>" after a step`);
      last.known.set(m[1], m[2]);
      return;
    }
    if (last && last.expect.status === undefined) throw new Error(`${where}: the line before has no "=>" expectation`);
    const tag = raw.split(' ')[0];
    steps.push({
      line: raw,
      tag,
      literal: [],
      expect: { status: undefined } as unknown as Expectation,
      known: new Map(),
      lineNo: i + 1,
    });
  });
  const open = steps.find((s) => s.expect.status === undefined);
  if (open) throw new Error(`${name}:${open.lineNo}: no "=>" expectation`);
  for (const s of steps) {
    // The declared literal size must be the octets of the "..." lines, CRLF each (RFC 7888).
    const declared = /~?\{(\d+)\+\}$/.exec(s.line);
    const octets = s.literal.reduce((n, l) => n + new TextEncoder().encode(l).length + 2, 0);
    if (declared ? Number(declared[1]) !== octets : s.literal.length > 0) {
      throw new Error(`${name}:${s.lineNo}: the literal holds ${octets} octets; end the line with {${octets}+}`);
    }
  }
  return steps;
}

function parseExpectation(text: string, where: string): Expectation {
  const tokens = text.match(/!?\*?\[[^\]]*\]=?|!?\*[A-Z.-]+(?:\([^)]*\))?=?|\S+/g) ?? [];
  const status = tokens.shift();
  if (status !== 'OK' && status !== 'NO' && status !== 'BAD')
    throw new Error(`${where}: the expectation starts with OK, NO or BAD`);
  const e: Expectation = { status, taggedCodes: [], untagged: [], absent: [] };
  for (const t of tokens) {
    let m: RegExpExecArray | null;
    if ((m = /^\[([A-Z-]+)\]$/.exec(t))) e.taggedCodes.push(m[1]);
    else if ((m = /^!\*([A-Z]+)$/.exec(t))) e.absent.push(m[1]);
    else if ((m = /^\*\[([A-Z-]+)\](=?)$/.exec(t)))
      e.untagged.push({ name: m[1], code: true, equal: m[2] === '=', atoms: [] });
    else if ((m = /^\*([A-Z]+)(?:\(([^)]*)\))?(=?)$/.exec(t))) {
      e.untagged.push({
        name: m[1],
        code: false,
        equal: m[3] === '=',
        atoms: m[2] ? m[2].split(/\s+/).filter(Boolean) : [],
      });
    } else throw new Error(`${where}: cannot read "${t}" in the expectation`);
  }
  return e;
}

// ---- replies --------------------------------------------------------------------------------

/** A value in an IMAP response: atom/number/NIL, string (quoted or literal), or parenthesised list. */
export type Value = { atom: string } | { str: string } | Value[];

export interface Untagged {
  name: string; // EXISTS, FLAGS, OK, FETCH, ...
  number?: number; // the message number of EXISTS/RECENT/EXPUNGE/FETCH
  code?: { name: string; data: string };
  values: Value[]; // everything after the name (for OK/NO/BAD/BYE: nothing)
}

export interface Reply {
  status: string;
  codes: Array<{ name: string; data: string }>;
  untagged: Untagged[];
  text: string; // raw bytes as latin1, for messages
}

/** Splits the text a server sent for one command (up to and including the tagged line). */
export function parseReply(tag: string, text: string): Reply {
  const reply: Reply = { status: 'none', codes: [], untagged: [], text };
  let pos = 0;
  while (pos < text.length) {
    // One response: a line, plus literals ({n}CRLF + n bytes) continuing it.
    let line = '';
    for (;;) {
      const end = text.indexOf('\r\n', pos);
      if (end < 0) {
        line += text.slice(pos);
        pos = text.length;
        break;
      }
      const piece = text.slice(pos, end);
      pos = end + 2;
      const lit = /~?\{(\d+)\}$/.exec(piece); // ~{n}: a literal8 (RFC 3516 section 4.2)
      if (!lit) {
        line += piece;
        break;
      }
      // Keep literals as quoted-style markers the tokenizer understands.
      const n = Number(lit[1]);
      line += piece.slice(0, -lit[0].length) + `\u0000${n}\u0000` + text.slice(pos, pos + n);
      pos += n;
    }
    if (line.startsWith('* ')) reply.untagged.push(parseUntagged(line.slice(2)));
    else if (line.startsWith(`${tag} `)) {
      const m = /^(\S+)(?: \[([^\] ]+)(?: ([^\]]*))?\])?/.exec(line.slice(tag.length + 1))!;
      reply.status = m[1].toUpperCase();
      if (m[2]) reply.codes.push({ name: m[2].toUpperCase(), data: m[3] ?? '' });
    }
  }
  return reply;
}

function parseUntagged(line: string): Untagged {
  const numbered = /^(\d+) ([A-Za-z]+) ?(.*)$/s.exec(line);
  if (numbered) return { name: numbered[2].toUpperCase(), number: Number(numbered[1]), values: tokenize(numbered[3]) };
  const m = /^([A-Za-z]+) ?(.*)$/s.exec(line);
  if (!m) return { name: line, values: [] };
  const name = m[1].toUpperCase();
  if (['OK', 'NO', 'BAD', 'BYE', 'PREAUTH'].includes(name)) {
    const c = /^\[([^\] ]+)(?: ([^\]]*))?\]/.exec(m[2]);
    return { name, code: c ? { name: c[1].toUpperCase(), data: c[2] ?? '' } : undefined, values: [] };
  }
  return { name, values: tokenize(m[2]) };
}

/** Tokenizes response data; an atom like BODY[HEADER.FIELDS (SUBJECT)]<0> stays one atom. */
export function tokenize(text: string): Value[] {
  let i = 0;
  const list = (): Value[] => {
    const out: Value[] = [];
    while (i < text.length) {
      const c = text[i];
      if (c === ' ') i++;
      else if (c === ')') {
        i++;
        return out;
      } else if (c === '(') {
        i++;
        out.push(list());
      } else if (c === '"') {
        let s = '';
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i++;
          s += text[i++];
        }
        i++;
        out.push({ str: s });
      } else if (c === '\u0000') {
        const end = text.indexOf('\u0000', i + 1);
        const n = Number(text.slice(i + 1, end));
        out.push({ str: text.slice(end + 1, end + 1 + n) });
        i = end + 1 + n;
      } else {
        let a = '';
        let depth = 0;
        while (i < text.length && (depth > 0 || !' ()'.includes(text[i]))) {
          if (text[i] === '[') depth++;
          if (text[i] === ']') depth--;
          a += text[i++];
        }
        out.push({ atom: a });
      }
    }
    return out;
  };
  return list();
}

/** A canonical text for a value: strings and literals alike, atoms upper-cased, NIL kept. */
export function show(v: Value): string {
  if (Array.isArray(v)) return `(${v.map(show).join(' ')})`;
  if ('atom' in v) return v.atom.toUpperCase();
  return JSON.stringify(v.str);
}

// ---- comparison -----------------------------------------------------------------------------

/** The FETCH items of one reply: message number -> item name -> canonical value. */
export function fetchItems(reply: Reply): Map<number, Map<string, string>> {
  const out = new Map<number, Map<string, string>>();
  for (const u of reply.untagged) {
    if (u.name !== 'FETCH' || u.number === undefined) continue;
    const items = out.get(u.number) ?? new Map<string, string>();
    const list = Array.isArray(u.values[0]) ? u.values[0] : [];
    for (let k = 0; k + 1 < list.length; k += 2) {
      const name = show(list[k]);
      // INTERNALDATE is when each server stored the message; it cannot match.
      if (name === 'INTERNALDATE') continue;
      const value = list[k + 1];
      // A MODSEQ is each server's own counter (RFC 7162 section 3.1.1 asks only that it grows): compared is that it is sent.
      if (name === 'MODSEQ') items.set(name, '(modseq)');
      else
        items.set(
          name,
          name === 'FLAGS' && Array.isArray(value) ? `(${value.map(show).sort().join(' ')})` : show(value),
        );
    }
    out.set(u.number, items);
  }
  return out;
}

/** The data of the untagged responses called `name`, canonical, for an `=` comparison. */
export function untaggedData(reply: Reply, name: string, code: boolean): string {
  if (code) {
    return reply.untagged
      .filter((u) => u.code?.name === name)
      .map((u) => u.code!.data.toUpperCase())
      .join(' | ');
  }
  const all = reply.untagged.filter((u) => u.name === name);
  if (name === 'EXPUNGE') return expungedOriginals(all.map((u) => u.number!)).join(' ');
  if (name === 'EXISTS' || name === 'RECENT') return all.map((u) => u.number).join(' ');
  // SEARCH numbers as a set; a trailing (MODSEQ n) (RFC 7162 section 3.1.5) only as being there.
  if (name === 'SEARCH')
    return [
      ...all
        .flatMap((u) => u.values.filter((v) => !Array.isArray(v)).map(show))
        .map(Number)
        .sort((a, b) => a - b),
      ...(all.some((u) => u.values.some(Array.isArray)) ? ['(MODSEQ)'] : []),
    ].join(' ');
  // ESEARCH: the correlator, then its result items in any order (RFC 4731 section 3.1).
  if (name === 'ESEARCH') {
    return all
      .map((u) => {
        const [tag, ...rest] = u.values.map(show);
        const uid = rest[0] === 'UID' ? rest.shift() : '';
        const pairs: string[] = [];
        for (let k = 0; k + 1 < rest.length; k += 2)
          pairs.push(rest[k] === 'MODSEQ' ? 'MODSEQ' : `${rest[k]} ${rest[k + 1]}`);
        return [tag, uid, ...pairs.sort()].filter(Boolean).join(' ');
      })
      .join(' | ');
  }
  if (name === 'FLAGS')
    return all.map((u) => (Array.isArray(u.values[0]) ? u.values[0].map(show).sort().join(' ') : '')).join(' | ');
  // LIST/LSUB: the mailbox names, sorted (attributes vary with server extensions).
  if (name === 'LIST' || name === 'LSUB')
    return all
      .map((u) => show(asString(u.values[2])))
      .sort()
      .join(' ');
  if (name === 'STATUS') {
    return all
      .map((u) => {
        const items = Array.isArray(u.values[1]) ? u.values[1] : [];
        const pairs: string[] = [];
        for (let k = 0; k + 1 < items.length; k += 2)
          pairs.push(show(items[k]) === 'HIGHESTMODSEQ' ? 'HIGHESTMODSEQ' : `${show(items[k])} ${show(items[k + 1])}`);
        return `${show(asString(u.values[0]))} (${pairs.sort().join(' ')})`;
      })
      .sort() // one per mailbox, in LIST order (RFC 5819), which varies
      .join(' | ');
  }
  return all.map((u) => u.values.map(show).join(' ')).join(' | ');
}

/**
 * EXPUNGE numbers refer to the mailbox as it is after the previous EXPUNGE (RFC 3501 section
 * 7.4.1), so "3 2" and "2 2" both remove messages 2 and 3; compare the original numbers.
 */
export function expungedOriginals(numbers: number[]): number[] {
  const removed: number[] = [];
  for (const n of numbers) {
    let original = n;
    for (const r of [...removed].sort((a, b) => a - b)) if (r <= original) original++;
    removed.push(original);
  }
  return removed.sort((a, b) => a - b);
}

/** Mailbox names may come as atoms or strings; compare them as strings. */
function asString(v: Value | undefined): Value {
  if (!v) return { str: '' };
  return !Array.isArray(v) && 'atom' in v ? { str: v.atom } : v;
}

/** Checks one server's reply against the scenario line; returns the problems found. */
export function checkAgainstFile(step: Step, reply: Reply): string[] {
  const problems: string[] = [];
  const e = step.expect;
  if (reply.status !== e.status) problems.push(`tagged ${reply.status}, the file expects ${e.status}`);
  for (const code of e.taggedCodes) {
    if (!reply.codes.some((c) => c.name === code)) problems.push(`tagged reply lacks [${code}]`);
  }
  for (const u of e.untagged) {
    const found = u.code
      ? reply.untagged.filter((r) => r.code?.name === u.name)
      : reply.untagged.filter((r) => r.name === u.name);
    if (!found.length) problems.push(`no untagged ${u.code ? `[${u.name}]` : u.name}`);
    for (const atom of u.atoms) {
      // An atom counts also inside a list of the data: VANISHED (EARLIER) 3 has EARLIER.
      const has = (v: Value): boolean => show(v) === atom.toUpperCase() || (Array.isArray(v) && v.some(has));
      if (!found.some((r) => r.values.some(has))) problems.push(`untagged ${u.name} lacks ${atom}`);
    }
  }
  for (const name of e.absent)
    if (reply.untagged.some((r) => r.name === name)) problems.push(`unexpected untagged ${name}`);
  return problems;
}

/** Compares two servers' replies where the file asks for equal data, and all FETCH items. */
export function compareReplies(step: Step, ours: Reply, theirs: Reply): Array<{ aspect: string; detail: string }> {
  const diffs: Array<{ aspect: string; detail: string }> = [];
  if (ours.status !== theirs.status)
    diffs.push({ aspect: 'status', detail: `we said ${ours.status}, Dovecot ${theirs.status}` });
  for (const u of step.expect.untagged) {
    if (!u.equal) continue;
    const a = untaggedData(ours, u.name, u.code);
    const b = untaggedData(theirs, u.name, u.code);
    const aspect = u.code ? `*[${u.name}]` : `*${u.name}`;
    if (a !== b) diffs.push({ aspect, detail: `ours ${JSON.stringify(a)}, Dovecot ${JSON.stringify(b)}` });
  }
  const fa = fetchItems(ours);
  const fb = fetchItems(theirs);
  for (const n of new Set([...fa.keys(), ...fb.keys()])) {
    const ia = fa.get(n) ?? new Map<string, string>();
    const ib = fb.get(n) ?? new Map<string, string>();
    for (const item of new Set([...ia.keys(), ...ib.keys()])) {
      const va = ia.get(item);
      const vb = ib.get(item);
      if (va === vb) continue;
      if (item === 'FLAGS' && (va === undefined || vb === undefined)) {
        // Unsolicited FLAGS updates are allowed at different moments (RFC 3501 section 7.4.2).
        continue;
      }
      diffs.push({ aspect: 'fetch', detail: `message ${n} ${item}: ours ${clip(va)}, Dovecot ${clip(vb)}` });
    }
  }
  return diffs;
}

function clip(v: string | undefined): string {
  if (v === undefined) return '(absent)';
  return v.length > 300 ? `${v.slice(0, 300)}...` : v;
}
