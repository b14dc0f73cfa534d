// IANA registry "IMAP Response Codes" (https://www.iana.org/assignments/imap-response-codes),
// created by RFC 5530; the stored copy we read says updated 2026-02-27.
// Retrieved 2026-11-25 through the project's stored copy of the registry (XML form); the excerpt
// showed the first entries verbatim, the rest was completed from RFC 5530 and the RFCs it lists.
// Data only: the learner-facing sentences live in imap/catalog.ts.

export interface ImapResponseCodeEntry {
  name: string;
  ref: string;
  obsolete?: boolean;
}

const R: Array<[string, string, boolean?]> = [
  ['NEWNAME', 'RFC 2060', true],
  ['REFERRAL', 'RFC 2221'],
  ['ALERT', 'RFC 9051'],
  ['BADCHARSET', 'RFC 9051'],
  ['CAPABILITY', 'RFC 9051'],
  ['PARSE', 'RFC 9051'],
  ['PERMANENTFLAGS', 'RFC 9051'],
  ['READ-ONLY', 'RFC 9051'],
  ['READ-WRITE', 'RFC 9051'],
  ['TRYCREATE', 'RFC 9051'],
  ['UIDNEXT', 'RFC 9051'],
  ['UIDVALIDITY', 'RFC 9051'],
  ['UNSEEN', 'RFC 3501', true],
  ['UNKNOWN-CTE', 'RFC 3516'],
  ['UIDNOTSTICKY', 'RFC 4315'],
  ['APPENDUID', 'RFC 4315'],
  ['COPYUID', 'RFC 4315'],
  ['URLMECH', 'RFC 4467'],
  ['TOOBIG', 'RFC 4469'],
  ['BADURL', 'RFC 4469'],
  ['HIGHESTMODSEQ', 'RFC 7162'],
  ['NOMODSEQ', 'RFC 7162'],
  ['MODIFIED', 'RFC 7162'],
  ['COMPRESSIONACTIVE', 'RFC 4978'],
  ['CLOSED', 'RFC 7162'],
  ['NOTSAVED', 'RFC 5182'],
  ['BADCOMPARATOR', 'RFC 5255'],
  ['ANNOTATE', 'RFC 5257'],
  ['ANNOTATIONS', 'RFC 5257'],
  ['TEMPFAIL', 'RFC 5259'],
  ['MAXCONVERTMESSAGES', 'RFC 5259'],
  ['MAXCONVERTPARTS', 'RFC 5259'],
  ['NOUPDATE', 'RFC 5267'],
  ['METADATA', 'RFC 5464'],
  ['NOTIFICATIONOVERFLOW', 'RFC 5465'],
  ['BADEVENT', 'RFC 5465'],
  ['UNDEFINED-FILTER', 'RFC 5466'],
  ['UNAVAILABLE', 'RFC 5530'],
  ['AUTHENTICATIONFAILED', 'RFC 5530'],
  ['AUTHORIZATIONFAILED', 'RFC 5530'],
  ['EXPIRED', 'RFC 5530'],
  ['PRIVACYREQUIRED', 'RFC 5530'],
  ['CONTACTADMIN', 'RFC 5530'],
  ['NOPERM', 'RFC 5530'],
  ['INUSE', 'RFC 5530'],
  ['EXPUNGEISSUED', 'RFC 5530'],
  ['CORRUPTION', 'RFC 5530'],
  ['SERVERBUG', 'RFC 5530'],
  ['CLIENTBUG', 'RFC 5530'],
  ['CANNOT', 'RFC 5530'],
  ['LIMIT', 'RFC 5530'],
  ['OVERQUOTA', 'RFC 5530'],
  ['ALREADYEXISTS', 'RFC 5530'],
  ['NONEXISTENT', 'RFC 5530'],
  ['USEATTR', 'RFC 6154'],
  ['DOWNGRADED', 'RFC 6858'],
  ['MAILBOXID', 'RFC 8474'],
  ['HASCHILDREN', 'RFC 9051'],
  ['INPROGRESS', 'RFC 9585'],
  ['UIDREQUIRED', 'RFC 9586'],
];

export const IMAP_RESPONSE_CODES: ImapResponseCodeEntry[] = R.map(([name, ref, obsolete]) =>
  obsolete ? { name, ref, obsolete } : { name, ref },
);
