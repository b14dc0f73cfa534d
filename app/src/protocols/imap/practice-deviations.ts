// Where mailwire's practice IMAP server answers differently from Dovecot on purpose, stricter or
// looser, or where both are looser than the RFC (issue 16, point 4). The console recognises each
// case from the command and its tagged reply, and says so beside the reply, when it happens. The
// practice server says the same in its tagged text; the rows here are the one place the console
// reads. Each row cites the RFC section it departs from or follows.
import { rfc, type RfcRef } from '../common/types.ts';
import type { ImapResponse } from './parse.ts';
import type { ImapCommand } from './state.ts';

export interface PracticeDeviation {
  id: string;
  /** 'stricter' or 'looser' than Dovecot; 'both-looser': both read more than the RFC allows. */
  kind: 'stricter' | 'looser' | 'both-looser';
  /** The sentence the console shows. */
  text: string;
  rfc: RfcRef;
  /** Whether this tagged reply to this command is the case (`enabled`: ENABLED so far, upper-case). */
  applies(cmd: ImapCommand, reply: ImapResponse, enabled: readonly string[]): boolean;
}

const commandIs = (cmd: ImapCommand, ...names: string[]) => names.includes(cmd.name.replace(/^UID /, ''));
/** The command's arguments without its quoted strings' contents, so a quoted "CHARSET" is not read as one. */
const outsideQuotes = (args: string) => args.replace(/"(?:[^"\\]|\\.)*"/g, '""');

export const PRACTICE_DEVIATIONS: readonly PracticeDeviation[] = [
  {
    id: 'search-8bit-without-charset',
    kind: 'both-looser',
    text: 'This SEARCH has 8-bit text but no CHARSET, so by RFC 3501 section 6.4.4 it is US-ASCII and cannot match those characters. The practice server, like Dovecot, reads it as UTF-8 instead. To be portable, write SEARCH CHARSET UTF-8 ..., or send ENABLE UTF8=ACCEPT first where it is offered (RFC 6855 section 3).',
    rfc: rfc(3501, '6.4.4'),
    applies: (cmd, reply, enabled) =>
      commandIs(cmd, 'SEARCH') &&
      reply.status === 'OK' &&
      /[^\x00-\x7f]/.test(cmd.args) &&
      !/^(RETURN \([^)]*\) )?CHARSET /i.test(outsideQuotes(cmd.args).trimStart()) &&
      !enabled.includes('UTF8=ACCEPT') &&
      !enabled.includes('IMAP4REV2'),
  },
  {
    id: 'binary-size-partial',
    kind: 'stricter',
    text: 'BINARY.SIZE takes no <origin.length> (RFC 3516 section 7, fetch-att). The practice server answers BAD, stricter than Dovecot, which ignores the partial; drop the <...>.',
    rfc: rfc(3516, '7'),
    applies: (cmd, reply) =>
      commandIs(cmd, 'FETCH') && reply.status === 'BAD' && /BINARY\.SIZE\[[^\]]*\]</i.test(cmd.args),
  },
  {
    id: 'binary-section-text',
    kind: 'stricter',
    text: 'A BINARY section is part numbers only, as in BINARY[1.2] (RFC 3516 section 7, section-binary). The practice server answers BAD to BINARY[HEADER] or BINARY[TEXT], stricter than Dovecot, which takes them; use BODY.PEEK[HEADER] for the header.',
    rfc: rfc(3516, '7'),
    applies: (cmd, reply) =>
      commandIs(cmd, 'FETCH') && reply.status === 'BAD' && /BINARY(\.PEEK|\.SIZE)?\[[^\]]*[A-Z]/i.test(cmd.args),
  },
  {
    id: 'append-8bit-header',
    kind: 'stricter',
    text: 'The message has 8-bit characters in its header. A server offering UTF8=ACCEPT must refuse such an APPEND with NO until the client sends ENABLE UTF8=ACCEPT (RFC 6855 section 4); the practice server does, while Dovecot 2.3, which does not offer UTF8=ACCEPT, stores the message. Send ENABLE UTF8=ACCEPT and APPEND ... UTF8 (~{n}), or encode the header with RFC 2047 encoded-words.',
    rfc: rfc(6855, '4'),
    applies: (cmd, reply, enabled) =>
      commandIs(cmd, 'APPEND') && reply.status === 'NO' && !enabled.includes('UTF8=ACCEPT') && /8-bit/.test(reply.text),
  },
];

/** The deviations a tagged reply shows, for the console. */
export function practiceDeviations(
  cmd: ImapCommand | undefined,
  reply: ImapResponse,
  enabled: readonly string[] = [],
): PracticeDeviation[] {
  if (!cmd || reply.kind !== 'tagged') return [];
  return PRACTICE_DEVIATIONS.filter((d) => d.applies(cmd, reply, enabled));
}
