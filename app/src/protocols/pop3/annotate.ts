// Explain a POP3 response in the context of the command it answers.

import { base64ToText } from '../common/bytes.ts';
import { rfc, type Annotation, type AnnotationDetail, type Outcome } from '../common/types.ts';
import { POP3_COMMAND_RFC, explainCapa, explainPop3Code } from './catalog.ts';
import type { Pop3Response } from './parse.ts';
import { POP3_STATES, type Pop3State } from './state.ts';
import { vendorDetail } from '../common/vendor-detail.ts';
import { vendorEntry } from '../vendors/index.ts';

export interface Pop3ResponseContext {
  stateBefore?: Pop3State;
  sasl?: boolean;
}

function okMeaning(verb: string, args: string[], r: Pop3Response): string {
  switch (verb) {
    case '':
      return 'The server greets you; you are in the AUTHORIZATION state: log in (after STLS, if offered).';
    case 'USER':
      return `The server noted user ${args[0] ?? ''}; now send PASS with the password.`;
    case 'PASS':
    case 'APOP':
      return 'You are logged in: the mailbox is locked for you and the session is in the TRANSACTION state.';
    case 'AUTH':
      return 'You are logged in through SASL; the session is in the TRANSACTION state.';
    case 'STLS':
      return 'Start the TLS handshake now; afterwards send CAPA again, as the list may change.';
    case 'CAPA':
      return `The server lists ${r.lines?.length ?? 0} capabilities (below).`;
    case 'STAT': {
      const m = /^(\d+) (\d+)/.exec(r.text);
      return m
        ? `The mailbox holds ${m[1]} message(s), ${m[2]} octets in total.`
        : 'The mailbox summary: message count and total size.';
    }
    case 'LIST':
      return r.multiline
        ? `The size in octets of each of the ${r.lines?.length ?? 0} message(s), as "number size".`
        : `Message ${args[0]} and its size in octets.`;
    case 'UIDL':
      return r.multiline
        ? 'The unique id of each message, as "number id"; ids stay the same across sessions.'
        : `Message ${args[0]} and its unique id.`;
    case 'RETR':
      return `Message ${args[0] ?? ''} follows in full (${r.lines?.length ?? 0} lines, dots un-stuffed), up to the line with a single dot.`;
    case 'TOP':
      return `The headers of message ${args[0] ?? ''} and the first ${args[1] ?? 'n'} body lines follow.`;
    case 'DELE':
      return `Message ${args[0] ?? ''} is marked for deletion; it is removed only when you QUIT (RSET undoes it).`;
    case 'RSET':
      return 'Every deletion mark is undone.';
    case 'NOOP':
      return 'NOOP does nothing; this +OK shows the connection is alive.';
    case 'QUIT':
      return 'The server ends the session; messages marked with DELE are deleted now (the UPDATE state).';
    default:
      return 'The command succeeded.';
  }
}

/**
 * RFC 1939 has only +OK and -ERR: a bare -ERR says nothing about retrying. The response codes of
 * RFC 2449 section 8 and RFC 3206 do: [IN-USE], [LOGIN-DELAY] and [SYS/TEMP] are transient,
 * [SYS/PERM] permanent, [AUTH] blames the credentials (the same ones will fail again).
 */
function outcome(r: Pop3Response): { outcome: Outcome; badge: string } {
  if (r.status === '+OK') return { outcome: 'success', badge: '+OK: success' };
  const code = (r.code ?? '').toUpperCase();
  const top = code.startsWith('SYS/') ? code : code.split('/')[0];
  if (top === 'IN-USE' || top === 'LOGIN-DELAY' || top === 'SYS/TEMP')
    return { outcome: 'transient', badge: `-ERR [${top}]: try again later` };
  if (top === 'SYS/PERM') return { outcome: 'permanent', badge: '-ERR [SYS/PERM]: permanent failure' };
  if (top === 'AUTH') return { outcome: 'permanent', badge: '-ERR [AUTH]: credentials refused' };
  return { outcome: 'failed', badge: '-ERR: failure' };
}

export function annotatePop3Response(r: Pop3Response, ctx: Pop3ResponseContext = {}): Annotation {
  const [v, ...args] = (r.command ?? '').trim().split(/\s+/);
  const verb = (v ?? '').toUpperCase();
  const details: AnnotationDetail[] = [];
  const ref = POP3_COMMAND_RFC[verb] ?? rfc(1939, '3');
  if (r.status === '+') {
    const decoded = r.text ? base64ToText(r.text) : undefined;
    const a: Annotation = {
      title: '+ (SASL continuation)',
      meaning: 'The server waits for your next AUTH line, in base64.',
      rfc: rfc(5034, '4'),
      outcome: 'continue',
    };
    if (decoded !== undefined) a.decoded = decoded;
    return a;
  }
  let meaning: string;
  let aboutState = false;
  if (r.status === '+OK' && verb === 'QUIT' && ctx.stateBefore === 'authorization')
    meaning = 'The server ends the session; you never logged in, so nothing is deleted.';
  else if (r.status === '+OK') meaning = okMeaning(ctx.sasl ? 'AUTH' : verb, args, r);
  else if (ctx.stateBefore && verb && !POP3_STATES[ctx.stateBefore].commands.includes(verb)) {
    aboutState = true;
    meaning = `${verb} is not allowed in the ${POP3_STATES[ctx.stateBefore].label} state; allowed there: ${POP3_STATES[ctx.stateBefore].commands.join(', ') || 'nothing'}.`;
  } else {
    meaning = verb
      ? `Your ${verb} failed: ${r.text.replace(/\.$/, '') || 'the server gave no reason'}.`
      : 'The server refuses this connection.';
  }
  if (r.code) {
    const e = explainPop3Code(r.code);
    details.push({ term: `[${r.code}]`, text: e.meaning, rfc: e.rfc });
    if (r.status === '-ERR' && !aboutState) meaning = `${meaning} ${e.meaning}`;
  }
  const known =
    r.status === '-ERR' ? vendorEntry({ protocol: 'pop3', code: r.status, respCode: r.code, text: r.text }) : undefined;
  if (known) {
    if (!aboutState) meaning = `${known.vendor}: ${known.meaning} ${known.todo}`;
    details.push(vendorDetail(known));
  }
  if (verb === 'CAPA' && r.lines)
    for (const l of r.lines) {
      const e = explainCapa(l);
      details.push({ term: l, text: e.meaning, rfc: e.rfc });
    }
  const o = outcome(r);
  const a: Annotation = {
    title: `${r.status}${r.code ? ` [${r.code}]` : ''}${verb ? ` (answers ${verb})` : ' greeting'}`,
    meaning,
    rfc: ref,
    outcome: o.outcome,
    badge: o.badge,
  };
  if (details.length) a.details = details;
  if (aboutState) a.aboutState = true;
  return a;
}
