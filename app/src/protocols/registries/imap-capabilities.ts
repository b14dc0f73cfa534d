// IANA registry "Internet Message Access Protocol (IMAP) Capabilities"
// (https://www.iana.org/assignments/imap-capabilities), last updated 2025-03-18 per the page.
// Retrieved 2026-11-25 through the project's stored copy of the registry page; the stored excerpt
// listed ACL .. MAILBOX-REFERRALS verbatim, the rest was completed from the RFCs the registry cites.
// Names ending in "=" are prefixes (AUTH=PLAIN, QUOTA=RES-STORAGE ...). Data only: the
// learner-facing sentences live in imap/catalog.ts.

export interface ImapCapabilityEntry { name: string; ref: string; obsolete?: boolean }

const C: Array<[string, string, boolean?]> = [
  ['ACL', 'RFC 4314'], ['ANNOTATE-EXPERIMENT-1', 'RFC 5257'], ['APPENDLIMIT', 'RFC 7889'],
  ['AUTH=', 'RFC 9051'], ['BINARY', 'RFC 3516'], ['CATENATE', 'RFC 4469'], ['CHILDREN', 'RFC 3348'],
  ['COMPRESS=DEFLATE', 'RFC 4978'], ['CONDSTORE', 'RFC 7162'], ['CONTEXT=SEARCH', 'RFC 5267'],
  ['CONTEXT=SORT', 'RFC 5267'], ['CONVERT', 'RFC 5259'], ['CREATE-SPECIAL-USE', 'RFC 6154'],
  ['ENABLE', 'RFC 5161'], ['ESEARCH', 'RFC 4731'], ['ESORT', 'RFC 5267'], ['FILTERS', 'RFC 5466'],
  ['I18NLEVEL=1', 'RFC 5255'], ['I18NLEVEL=2', 'RFC 5255'], ['ID', 'RFC 2971'], ['IDLE', 'RFC 2177'],
  ['IMAP4REV1', 'RFC 3501'], ['IMAP4REV2', 'RFC 9051'], ['IMAPSIEVE=', 'RFC 6785'], ['INPROGRESS', 'RFC 9585'],
  ['JMAPACCESS', 'RFC 9698'], ['LANGUAGE', 'RFC 5255'], ['LIST-EXTENDED', 'RFC 5258'],
  ['LIST-METADATA', 'RFC 9590'], ['LIST-MYRIGHTS', 'RFC 8440'], ['LIST-STATUS', 'RFC 5819'],
  ['LITERAL+', 'RFC 7888'], ['LITERAL-', 'RFC 7888'], ['LOGIN-REFERRALS', 'RFC 2221'],
  ['LOGINDISABLED', 'RFC 9051'], ['MAILBOX-REFERRALS', 'RFC 2193'], ['MESSAGELIMIT=', 'RFC 9738'],
  ['METADATA', 'RFC 5464'], ['METADATA-SERVER', 'RFC 5464'], ['MOVE', 'RFC 6851'], ['MULTIAPPEND', 'RFC 3502'],
  ['MULTISEARCH', 'RFC 7377'], ['NAMESPACE', 'RFC 2342'], ['NOTIFY', 'RFC 5465'], ['OBJECTID', 'RFC 8474'],
  ['PARTIAL', 'RFC 9394'], ['PREVIEW', 'RFC 8970'], ['QRESYNC', 'RFC 7162'], ['QUOTA', 'RFC 9208'],
  ['QUOTA=', 'RFC 9208'], ['QUOTA=RES-', 'RFC 9208'], ['QUOTASET', 'RFC 9208'], ['REPLACE', 'RFC 8508'],
  ['RIGHTS=', 'RFC 4314'], ['SASL-IR', 'RFC 4959'], ['SAVEDATE', 'RFC 8514'], ['SAVELIMIT=', 'RFC 9738'],
  ['SEARCH=FUZZY', 'RFC 6203'], ['SEARCHRES', 'RFC 5182'], ['SORT', 'RFC 5256'], ['SORT=DISPLAY', 'RFC 5957'],
  ['SPECIAL-USE', 'RFC 6154'], ['STARTTLS', 'RFC 9051'], ['STATUS=SIZE', 'RFC 8438'], ['THREAD=', 'RFC 5256'],
  ['UIDONLY', 'RFC 9586'], ['UIDPLUS', 'RFC 4315'], ['UNAUTHENTICATE', 'RFC 8437'], ['UNSELECT', 'RFC 3691'],
  ['URLAUTH', 'RFC 4467'], ['URLAUTH=BINARY', 'RFC 5524'], ['URL-PARTIAL', 'RFC 5550'],
  ['UTF8=ACCEPT', 'RFC 6855'], ['UTF8=ALL', 'RFC 5738', true], ['UTF8=APPEND', 'RFC 5738', true],
  ['UTF8=ONLY', 'RFC 6855'], ['UTF8=USER', 'RFC 5738', true], ['WITHIN', 'RFC 5032'],
];

export const IMAP_CAPABILITIES: ImapCapabilityEntry[] = C.map(([name, ref, obsolete]) =>
  obsolete ? { name, ref, obsolete } : { name, ref });
