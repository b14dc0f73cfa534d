// The conditions of an ```expect block, one per line. Each returns a Condition or a sentence
// saying what is wrong and what to write instead.

import type { Condition, ImapStatus, WireProtocol } from './types.ts';

export const CONDITION_EXAMPLES = [
  'code 250',
  'code 2xx',
  'code 451|250',
  'enhanced 2.1.0',
  'imap OK',
  'imap NO|BAD',
  'imap OK [READ-ONLY]',
  'untagged EXISTS',
  'untagged [UIDNEXT]',
  'pop3 +OK',
  'pop3 -ERR',
  'match /pattern/i "what it looks for, in words"',
  'nomatch /pattern/i "what must not be there, in words"',
  'tls active',
  'tls inactive',
  'closed',
  'mime image/*',
  'header Subject',
];

export type ConditionParse = { ok: true; condition: Condition } | { ok: false; code: 'UNKNOWN_CONDITION' | 'BAD_CONDITION' | 'BAD_REGEX'; message: string };

const bad = (message: string): ConditionParse => ({ ok: false, code: 'BAD_CONDITION', message });

export function parseCondition(text: string): ConditionParse {
  const m = /^(\S+)\s*(.*)$/.exec(text.trim());
  const word = m ? m[1].toLowerCase() : '';
  const arg = m ? m[2].trim() : '';
  switch (word) {
    case 'code':
      // RFC 5321 4.2: three digits, first 2-5; x stands for any digit; `|` between alternatives.
      if (!arg.split('|').every((a) => /^[1-5][0-9x][0-9x]$/i.test(a))) {
        return bad(`\`code\` takes a three-digit SMTP reply code such as \`code 250\`, with x for any digit such as \`code 2xx\`, or alternatives such as \`code 451|250\`; got ${JSON.stringify(arg)}.`);
      }
      return { ok: true, condition: { kind: 'code', pattern: arg.toLowerCase() } };
    case 'enhanced':
      // RFC 3463 2: class.subject.detail, class 2, 4 or 5.
      if (!/^[245x]\.(\d{1,3}|x)\.(\d{1,3}|x)$/i.test(arg)) return bad(`\`enhanced\` takes an enhanced status code such as \`enhanced 2.1.0\` or \`enhanced 5.7.x\`; got ${JSON.stringify(arg)}.`);
      return { ok: true, condition: { kind: 'enhanced', pattern: arg.toLowerCase() } };
    case 'imap': {
      const m2 = /^([A-Za-z|]+)(?:\s+\[([A-Za-z0-9.-]+)\])?$/.exec(arg);
      const statuses = (m2 ? m2[1].toUpperCase().split('|') : []) as ImapStatus[];
      if (!m2 || statuses.length === 0 || !statuses.every((x) => x === 'OK' || x === 'NO' || x === 'BAD')) {
        return bad(`\`imap\` takes the tagged status OK, NO or BAD, such as \`imap OK\`, alternatives such as \`imap NO|BAD\`, and optionally a response code such as \`imap OK [READ-ONLY]\`; got ${JSON.stringify(arg)}.`);
      }
      return { ok: true, condition: { kind: 'imap', status: statuses[0], statuses, code: m2[2] ? m2[2].toUpperCase() : null } };
    }
    case 'untagged': {
      const bracket = /^\[([A-Za-z0-9.-]+)\]$/.exec(arg);
      if (bracket) return { ok: true, condition: { kind: 'untagged', name: `[${bracket[1].toUpperCase()}]` } };
      if (!/^[A-Za-z][A-Za-z0-9.-]*$/.test(arg)) return bad(`\`untagged\` takes a response name such as \`untagged EXISTS\`, or a response code in brackets such as \`untagged [UIDVALIDITY]\`; got ${JSON.stringify(arg)}.`);
      return { ok: true, condition: { kind: 'untagged', name: arg.toUpperCase() } };
    }
    case 'pop3': {
      const s = arg.toUpperCase();
      if (s !== '+OK' && s !== '-ERR') return bad(`\`pop3\` takes +OK or -ERR, such as \`pop3 +OK\`; got ${JSON.stringify(arg)}.`);
      return { ok: true, condition: { kind: 'pop3', status: s } };
    }
    case 'match':
    case 'nomatch': {
      // The words in quotes are what a learner reads when the check fails (a regex is no sentence).
      const r = /^\/(.*)\/([a-z]*)(?:\s+"([^"]+)")?$/.exec(arg);
      if (!r) return bad(`\`${word}\` takes a pattern between slashes and, in quotes, what it looks for in words, such as \`${word} /AUTH .*PLAIN/i "PLAIN among the AUTH mechanisms"\`; got ${JSON.stringify(arg)}.`);
      if (/[^imsu]/.test(r[2])) return { ok: false, code: 'BAD_REGEX', message: `the pattern flags ${JSON.stringify(r[2])} are not allowed; use only i, m, s or u.` };
      try {
        const regex = new RegExp(r[1], r[2]);
        return { ok: true, condition: { kind: word, regex, source: `/${r[1]}/${r[2]}`, words: r[3] ?? null } };
      } catch (e) {
        return { ok: false, code: 'BAD_REGEX', message: `the pattern /${r[1]}/${r[2]} is not a valid regular expression (${(e as Error).message}); check its brackets and escapes.` };
      }
    }
    case 'tls': {
      const s = arg.toLowerCase();
      if (s !== 'active' && s !== 'inactive') return bad(`\`tls\` takes \`active\` or \`inactive\`; got ${JSON.stringify(arg)}.`);
      return { ok: true, condition: { kind: 'tls', active: s === 'active' } };
    }
    case 'closed':
      if (arg) return bad('`closed` takes nothing after it.');
      return { ok: true, condition: { kind: 'closed' } };
    case 'mime':
      if (!/^[a-z0-9!#$&^_.+-]+\/([a-z0-9!#$&^_.+-]+|\*)$/i.test(arg)) return bad(`\`mime\` takes a content type such as \`mime image/png\` or \`mime image/*\`; got ${JSON.stringify(arg)}.`);
      return { ok: true, condition: { kind: 'mime', contentType: arg.toLowerCase() } };
    case 'header':
      if (!/^[!-9;-~]+$/.test(arg)) return bad(`\`header\` takes a header field name such as \`header Subject\`; got ${JSON.stringify(arg)}.`);
      return { ok: true, condition: { kind: 'header', name: arg } };
    default:
      return {
        ok: false,
        code: 'UNKNOWN_CONDITION',
        message: `unknown condition ${JSON.stringify(word || text)}; an expect line is one of: ${CONDITION_EXAMPLES.map((e) => `\`${e}\``).join(', ')}.`,
      };
  }
}

/** Which steps a condition makes sense on; null means any network step. */
export function conditionScope(c: Condition): WireProtocol | 'studio' | 'network' | 'any' {
  switch (c.kind) {
    case 'code':
    case 'enhanced':
      return 'smtp';
    case 'imap':
    case 'untagged':
      return 'imap';
    case 'pop3':
      return 'pop3';
    case 'mime':
    case 'header':
      return 'studio';
    case 'tls':
    case 'closed':
      return 'network';
    case 'match':
    case 'nomatch':
      return 'any';
  }
}
