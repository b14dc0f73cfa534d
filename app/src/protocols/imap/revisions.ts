// IMAP4rev1 (RFC 3501) and IMAP4rev2 (RFC 9051) side by side: where a reply differs once a
// client sends ENABLE IMAP4rev2 to a server that offers both (RFC 9051 Appendix A). One table, read
// by the console (annotate.ts says "in rev2 ..." beside a reply) and cited by the practice server
// (bridge/practice/imap/revision.ts), which answers the rev2 way for the rows marked `server`.
// Each row names the RFC 9051 section that says so; Appendix E lists the changes.
import { rfc, type RfcRef } from '../common/types.ts';

export interface RevisionDifference {
  /** A stable name, used by the server's comments and the tests. */
  id: string;
  /**
   * What the console matches, upper-case: untagged response names, response codes, FETCH item names
   * and flags in a response (`responses`), and commands whose tagged reply gets the row (`commands`).
   */
  responses: string[];
  commands: string[];
  /** What an IMAP4rev1 session gets. */
  rev1: string;
  /** What an IMAP4rev2 session gets instead. */
  rev2: string;
  /** Where RFC 9051 says so. */
  rfc: RfcRef;
  /**
   * How the practice server follows the row after ENABLE IMAP4rev2: 'answers' (it answers the rev2
   * way), 'lenient' (rev2 dropped it, the server still accepts it from a rev2 session, and says so).
   */
  server: 'answers' | 'lenient';
}

const R = (s: string) => rfc(9051, s);

export const REVISION_DIFFERENCES: readonly RevisionDifference[] = [
  {
    id: 'search-esearch',
    responses: ['SEARCH', 'ESEARCH'],
    commands: ['SEARCH'],
    rev1: 'SEARCH without RETURN is answered with "* SEARCH 2 5 7".',
    rev2: 'SEARCH is always answered with ESEARCH, "* ESEARCH (TAG "a1") ALL 2,5,7"; no RETURN means RETURN (ALL), and no match gives ESEARCH with no ALL.',
    rfc: R('6.4.4'),
    server: 'answers',
  },
  {
    id: 'search-charset',
    responses: [],
    commands: ['SEARCH'],
    rev1: 'SEARCH text without CHARSET is US-ASCII (RFC 3501 section 6.4.4).',
    rev2: 'SEARCH text without CHARSET is UTF-8; CHARSET UTF-8 is allowed but redundant.',
    rfc: R('6.4.4'),
    server: 'answers',
  },
  {
    id: 'select-recent',
    responses: ['RECENT'],
    commands: ['SELECT', 'EXAMINE'],
    rev1: 'SELECT, EXAMINE and the news of arriving mail report "* n RECENT" beside EXISTS.',
    rev2: 'The RECENT response is deprecated (Appendix E item 12); this server sends only EXISTS, and a rev2 client ignores a RECENT if one comes.',
    rfc: R('6.3.2'),
    server: 'answers',
  },
  {
    id: 'recent-flag',
    responses: ['\\RECENT'],
    commands: [],
    rev1: 'FETCH FLAGS carries \\Recent for messages new to this session.',
    rev2: 'The \\Recent flag is deprecated; flag-fetch keeps it only as obsolete-flag-recent, and this server leaves it out.',
    rfc: R('2.3.2'),
    server: 'answers',
  },
  {
    id: 'select-list',
    responses: [],
    commands: ['SELECT', 'EXAMINE'],
    rev1: 'SELECT answers FLAGS, EXISTS, RECENT and the OK codes.',
    rev2: 'SELECT and EXAMINE also send an untagged LIST for the mailbox opened, with its canonical name (Appendix E item 10).',
    rfc: R('6.3.2'),
    server: 'answers',
  },
  {
    id: 'select-unseen',
    responses: ['UNSEEN'],
    commands: ['SELECT', 'EXAMINE'],
    rev1: 'SELECT sends OK [UNSEEN n], the first message without \\Seen.',
    rev2: 'The UNSEEN response code is deprecated (Appendix E item 11); SELECT leaves it out. SEARCH UNSEEN finds those messages.',
    rfc: R('6.3.2'),
    server: 'answers',
  },
  {
    id: 'status-items',
    responses: ['STATUS'],
    commands: ['STATUS'],
    rev1: 'STATUS items: MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN.',
    rev2: 'STATUS items: MESSAGES, UIDNEXT, UIDVALIDITY, UNSEEN, DELETED (messages with \\Deleted) and SIZE (octets); RECENT is gone (Appendix E items 3 and 12).',
    rfc: R('6.3.11'),
    server: 'answers',
  },
  {
    id: 'utf8-names',
    // The console shows this row beside a name with "&" or non-ASCII characters (annotate.ts).
    responses: [],
    commands: [],
    rev1: 'Mailbox names with non-ASCII characters travel in modified UTF-7 ("&AOk-t&AOk-" for "été", RFC 3501 section 5.1.3).',
    rev2: 'Mailbox names are UTF-8 (Net-Unicode) in quoted strings, as typed; modified UTF-7 is only for rev1 compatibility (Appendix A.1).',
    rfc: R('5.1'),
    server: 'answers',
  },
  {
    id: 'lsub',
    responses: ['LSUB'],
    commands: ['LSUB'],
    rev1: 'LSUB lists the subscribed mailboxes.',
    rev2: 'LSUB is deprecated (Appendix E item 19): use LIST (SUBSCRIBED) "" "*". The practice server still answers LSUB.',
    rfc: R('Appendix E'),
    server: 'lenient',
  },
  {
    id: 'check',
    responses: [],
    commands: ['CHECK'],
    rev1: 'CHECK asks for a checkpoint of the mailbox.',
    rev2: 'CHECK is removed (Appendix E item 17): send NOOP instead. The practice server still answers CHECK.',
    rfc: R('Appendix E'),
    server: 'lenient',
  },
  {
    id: 'rfc822-items',
    responses: ['RFC822', 'RFC822.HEADER', 'RFC822.TEXT'],
    commands: [],
    rev1: 'FETCH RFC822, RFC822.HEADER and RFC822.TEXT return the message, its header, its body.',
    rev2: 'These FETCH items are deprecated (Appendix E item 18): ask for BODY[], BODY.PEEK[HEADER], BODY.PEEK[TEXT]. The practice server still answers them.',
    rfc: R('Appendix E'),
    server: 'lenient',
  },
];

/**
 * The rows about a reply: for an untagged one, any of its names (response, code, FETCH items, flags);
 * for a tagged one, the command it completes (with or without UID).
 */
export function revisionDifferences(reply: { tagged: boolean; names: string[] }): RevisionDifference[] {
  const names = reply.names.map((n) => n.toUpperCase());
  return REVISION_DIFFERENCES.filter((d) => names.some((n) => (reply.tagged ? d.commands : d.responses).includes(n)));
}

/** One row by id; throws on an unknown id, a programming error. */
export function revisionDifference(id: string): RevisionDifference {
  const row = REVISION_DIFFERENCES.find((d) => d.id === id);
  if (!row) throw new Error(`no IMAP revision difference "${id}"`);
  return row;
}
