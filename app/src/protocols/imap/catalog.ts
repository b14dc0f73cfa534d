// IMAP catalog: responses (RFC 9051 section 7), response codes and capabilities (IANA registries),
// system flags (RFC 9051 section 2.3.2). Explanations are ours.

import { rfc, refFromRegistry, type RfcRef } from '../common/types.ts';
import { IMAP_CAPABILITIES } from '../registries/imap-capabilities.ts';
import { IMAP_RESPONSE_CODES } from '../registries/imap-response-codes.ts';
import { explainSaslMechanism } from '../common/sasl.ts';

export interface ImapEntry {
  name: string;
  meaning: string;
  rfc: RfcRef;
  registered?: boolean;
}

const R = (s: string) => rfc(9051, s);

export const IMAP_RESPONSES: Record<string, ImapEntry> = Object.fromEntries(
  (
    [
      ['OK', 'Success: the command completed (tagged), or an informational message (untagged).', R('7.1.1')],
      [
        'NO',
        'An operational error: the command was understood but failed (no such mailbox, wrong password, over quota ...); it may work later or with other arguments.',
        R('7.1.2'),
      ],
      [
        'BAD',
        'A protocol error: the server could not make sense of the command (unknown, malformed, or not allowed in this state); sent as is, it will fail again.',
        R('7.1.3'),
      ],
      [
        'PREAUTH',
        'The connection starts already logged in (the server knows who you are), so you are in the authenticated state.',
        R('7.1.4'),
      ],
      [
        'BYE',
        'The server is closing the connection, either because you sent LOGOUT or for its own reasons.',
        R('7.1.5'),
      ],
      [
        'CAPABILITY',
        'The list of what this server supports right now; it can change after STARTTLS and after login.',
        R('7.2.2'),
      ],
      ['ENABLED', 'The extensions that the ENABLE command just switched on for this session.', R('7.2.1')],
      ['ID', 'The server identifies itself (name, version ...) in answer to ID.', rfc(2971, '3.2')],
      [
        'NAMESPACE',
        "Where mailboxes live: personal, other users' and shared namespaces, each with its prefix and hierarchy separator.",
        R('7.3.2'),
      ],
      ['LIST', 'One mailbox: its attributes, the hierarchy separator and its name.', R('7.3.1')],
      ['LSUB', 'One subscribed mailbox (the old form of LIST (SUBSCRIBED)).', rfc(3501, '7.2.3')],
      ['STATUS', 'Counters of a mailbox (messages, unseen, next UID ...) without selecting it.', R('7.3.3')],
      [
        'SEARCH',
        'The numbers of the messages that match your search (UIDs if you sent UID SEARCH).',
        rfc(3501, '7.2.5'),
      ],
      ['ESEARCH', 'Search results in the extended form (MIN, MAX, COUNT, ALL as a compact set).', R('7.3.4')],
      ['FLAGS', 'The flags that messages in this mailbox can carry.', R('7.3.5')],
      ['EXISTS', 'How many messages the mailbox holds now.', R('7.4.1')],
      [
        'RECENT',
        'How many messages arrived since the last session looked (IMAP4rev1 only; dropped in IMAP4rev2).',
        rfc(3501, '7.3.2'),
      ],
      [
        'EXPUNGE',
        'The message with this sequence number was removed; the numbers of later messages shift down by one.',
        R('7.5.1'),
      ],
      ['FETCH', 'Data you asked for about one message (or an unsolicited flag change).', R('7.5.2')],
      ['VANISHED', 'These UIDs were removed (QRESYNC form of EXPUNGE).', rfc(7162, '3.2.10')],
      ['QUOTA', 'The usage and limit of a quota root.', rfc(9208, '5.1')],
      ['QUOTAROOT', 'Which quota roots apply to a mailbox.', rfc(9208, '5.2')],
      ['SORT', 'Message numbers in the order you asked for.', rfc(5256, '4')],
      ['THREAD', 'Messages grouped into conversation threads.', rfc(5256, '4')],
    ] as Array<[string, string, RfcRef]>
  ).map(([name, meaning, ref]) => [name, { name, meaning, rfc: ref }]),
);

/** The short clause for "NO means ..." (RFC 9051 section 7.1): the lesson checker's words. */
export const IMAP_STATUS_BRIEF: Record<string, string> = {
  OK: 'the command succeeded',
  NO: 'the server understood the command but refused it, an operational error (wrong password, missing mailbox, or TLS needed first)',
  BAD: 'the server could not parse the command, or it is not allowed in this state (a protocol error) — check the tag, spelling, parentheses, and whether you logged in or SELECTed first',
};

const CODE_TEXT: Record<string, [string, RfcRef]> = {
  ALERT: ['A message the server insists a human reads; show it as it is.', R('7.1')],
  BADCHARSET: ['The server does not support the charset you named in SEARCH; it may list the ones it does.', R('7.1')],
  CAPABILITY: ['The server volunteers its capability list here, saving you a CAPABILITY command.', R('7.1')],
  PARSE: ['The server could not parse the headers or MIME structure of a message.', R('7.1')],
  PERMANENTFLAGS: [
    'The flags you can change and that are kept for good; \\* means you may create your own keywords.',
    R('7.1'),
  ],
  'READ-ONLY': ['The mailbox is open read-only: flags and expunges will not be saved.', R('7.1')],
  'READ-WRITE': ['The mailbox is open read-write: you may change flags and expunge.', R('7.1')],
  TRYCREATE: ['The target mailbox does not exist; CREATE it, then retry the command.', R('7.1')],
  UIDNEXT: ['The UID the next arriving message will probably get.', R('7.1')],
  UIDVALIDITY: ['The UID validity value: if it ever changes, every UID you cached for this mailbox is void.', R('7.1')],
  UNSEEN: ['The sequence number of the first message without the \\Seen flag (IMAP4rev1).', rfc(3501, '7.1')],
  CLOSED: [
    'The selected mailbox is closed; later responses no longer refer to it (another mailbox was selected, or it went away: deleted or renamed by another session, or a reset). No mailbox is selected now unless a SELECT follows.',
    R('7.1'),
  ],
  HIGHESTMODSEQ: [
    'The highest modification sequence in the mailbox, for fast resynchronisation (CONDSTORE).',
    rfc(7162, '3.1.2.1'),
  ],
  NOMODSEQ: ['This mailbox does not keep modification sequences.', rfc(7162, '3.1.2.2')],
  MODIFIED: [
    'These messages changed since the UNCHANGEDSINCE value, so the STORE was not applied to them.',
    rfc(7162, '3.1.3'),
  ],
  NOUPDATE: [
    'The server will not keep this SEARCH RETURN (UPDATE) result up to date (here: the session keeps as many as it may); the result you got stands.',
    rfc(5267, '4.3'),
  ],
  BADEVENT: [
    'The server cannot report an event you asked NOTIFY for; the code lists the events it can. Ask again with those only.',
    rfc(5465, '3.1'),
  ],
  NOTIFICATIONOVERFLOW: [
    'The server will not keep up with the notifications asked for (too many, or you stopped reading them), so NOTIFY is now off, as after NOTIFY NONE. Read what came, then send NOTIFY SET again.',
    rfc(5465, '5.8'),
  ],
  APPENDUID: ['The UID validity of the target mailbox and the UID the appended message got.', rfc(4315, '3')],
  COPYUID: ['The UID validity of the target mailbox, the source UIDs and the UIDs the copies got.', rfc(4315, '3')],
  UIDNOTSTICKY: ['This mailbox does not keep UIDs across sessions.', rfc(4315, '3')],
  UNAVAILABLE: ['A subsystem the server needs is down; try again later.', rfc(5530, '3')],
  AUTHENTICATIONFAILED: ['Login failed: wrong user name or password (the server will not say which).', rfc(5530, '3')],
  AUTHORIZATIONFAILED: ['Your credentials are fine, but you may not act as the user you asked for.', rfc(5530, '3')],
  EXPIRED: ['The password or account has expired.', rfc(5530, '3')],
  PRIVACYREQUIRED: [
    'The server refuses this without encryption: use STARTTLS (or the TLS port) first.',
    rfc(5530, '3'),
  ],
  CONTACTADMIN: ['Something is wrong with the account; only the administrator can fix it.', rfc(5530, '3')],
  NOPERM: ['You lack the rights for this operation on this mailbox.', rfc(5530, '3')],
  INUSE: ['The mailbox or resource is in use by someone else; try again later.', rfc(5530, '3')],
  EXPUNGEISSUED: ['Some of the messages you named were expunged by another session.', rfc(5530, '3')],
  CORRUPTION: ['The server found corrupted data.', rfc(5530, '3')],
  SERVERBUG: ['The server hit a bug of its own.', rfc(5530, '3')],
  CLIENTBUG: ['The server thinks the client did something pointless or wrong, but carried on.', rfc(5530, '3')],
  CANNOT: ['The operation is not possible on this server (for example a forbidden mailbox name).', rfc(5530, '3')],
  LIMIT: ['A server limit was reached (too many mailboxes, too large a command ...).', rfc(5530, '3')],
  OVERQUOTA: ['The operation would go over the quota.', rfc(5530, '3')],
  ALREADYEXISTS: ['A mailbox with that name already exists.', rfc(5530, '3')],
  NONEXISTENT: ['There is no mailbox with that name.', rfc(5530, '3')],
  REFERRAL: ['Go to another server (the URL given) for this.', rfc(2221, '3')],
  COMPRESSIONACTIVE: ['Compression is already on for this connection.', rfc(4978, '3')],
  NOTSAVED: ['The search result could not be saved (SEARCHRES).', rfc(5182, '2.2')],
  TOOBIG: ['The message is too big for this server.', rfc(4469, '5')],
  BADURL: ['A URL in CATENATE or BURL could not be resolved.', rfc(4469, '5')],
  'UNKNOWN-CTE': ['The server cannot decode this content transfer encoding for BINARY.', rfc(3516, '4.3')],
  USEATTR: ['The special-use attribute you asked for cannot be set on this mailbox.', rfc(6154, '6')],
  HASCHILDREN: ['The mailbox has children, so it cannot be deleted like this.', R('7.1')],
  INPROGRESS: ['The command is still running; the numbers show its progress.', rfc(9585, '3')],
  MAILBOXID: ['The stable identifier of the mailbox (OBJECTID).', rfc(8474, '4.1')],
  DOWNGRADED: ['The message was downgraded from UTF-8 headers for a client that did not enable UTF8.', rfc(6858, '3')],
  UIDREQUIRED: ['This server wants UIDs, not sequence numbers (UIDONLY).', rfc(9586, '3')],
  METADATA: ['A METADATA limit or problem (size, count, no private annotations).', rfc(5464, '4.2')],
  // Private codes of big providers, not in the IANA registry.
  MYRIGHTS: [
    "Courier-IMAP's own code (not in the IANA registry): your access rights on the selected mailbox, in RFC 4314's letters (l lookup, r read, s seen, w write, i insert, d delete ...).",
    { doc: 'Courier-IMAP documentation', url: 'https://www.courier-mta.org/imap/' },
  ],
  WEBALERT: [
    "Gmail's own code (not in the IANA registry): sign in on the web at the URL it gives, then retry.",
    {
      doc: 'Gmail Help: Fix problems signing in from an email client',
      url: 'https://support.google.com/mail/answer/78754',
    },
  ],
};

const CODES_IANA = 'https://www.iana.org/assignments/imap-response-codes';

export function explainResponseCode(name: string): ImapEntry {
  const n = name.toUpperCase();
  const reg = IMAP_RESPONSE_CODES.find((e) => e.name === n);
  const own = CODE_TEXT[n];
  if (own) return { name: n, meaning: own[0], rfc: own[1], registered: !!reg };
  if (reg)
    return {
      name: n,
      meaning: `A response code registered in ${reg.ref}${reg.obsolete ? ' (obsolete)' : ''}.`,
      rfc: refFromRegistry(reg.ref, CODES_IANA),
      registered: true,
    };
  return {
    name: n,
    meaning: 'A response code outside the IANA registry, private to this server.',
    rfc: R('7.1'),
    registered: false,
  };
}

const CAPA_TEXT: Record<string, string> = {
  IMAP4REV1: 'The server speaks IMAP4rev1 (RFC 3501).',
  IMAP4REV2:
    'The server speaks IMAP4rev2 (RFC 9051). Listed beside IMAP4rev1, it answers the rev1 way until the client sends ENABLE IMAP4rev2 (RFC 9051 Appendix A).',
  STARTTLS: 'You can upgrade this connection to TLS with STARTTLS.',
  LOGINDISABLED: 'LOGIN is refused on this connection (usually until STARTTLS).',
  'AUTH=': 'AUTHENTICATE accepts this SASL mechanism.',
  'SASL-IR': 'AUTHENTICATE may carry the first response on the same line.',
  IDLE: 'IDLE lets the server push new mail to you as it arrives.',
  NAMESPACE: 'NAMESPACE tells where personal and shared mailboxes live.',
  UIDPLUS: 'APPEND and COPY report the new UIDs (APPENDUID, COPYUID), and UID EXPUNGE exists.',
  MOVE: 'MOVE moves messages in one step.',
  UNSELECT: 'UNSELECT leaves the mailbox without expunging.',
  CONDSTORE: 'Messages carry modification sequences, so clients can fetch only what changed.',
  QRESYNC: 'Quick resynchronisation: reopen a mailbox and learn exactly what changed and vanished.',
  ENABLE: 'ENABLE switches on extensions that change how the server talks.',
  ID: 'ID exchanges client and server names and versions.',
  'LITERAL+': 'Literals may be sent as {n+} without waiting for the server\'s "+" go-ahead.',
  'LITERAL-': 'Like LITERAL+, but only for literals up to 4096 octets.',
  CHILDREN: 'LIST marks mailboxes \\HasChildren or \\HasNoChildren.',
  'LIST-EXTENDED': 'LIST takes selection and return options.',
  'LIST-STATUS': 'LIST can return STATUS counters for each mailbox.',
  'SPECIAL-USE': 'Mailboxes are marked \\Sent, \\Trash, \\Drafts ...',
  ESEARCH: 'Searches can return compact results (MIN, MAX, COUNT).',
  SORT: 'SORT returns messages in a server-side order.',
  'THREAD=': 'THREAD groups messages into conversations with this algorithm.',
  BINARY: 'Fetch decoded binary content with BINARY[].',
  CATENATE: 'APPEND can build a message from parts of other messages.',
  MULTIAPPEND: 'One APPEND can add several messages.',
  QUOTA: 'Quota usage and limits can be queried.',
  'COMPRESS=DEFLATE': 'The connection can be compressed.',
  'LOGIN-REFERRALS': 'The server may refer you to another server at login.',
  'I18NLEVEL=': 'Searches and sorts follow language-aware comparators.',
  'CONTEXT=': 'Search or sort results can be kept up to date.',
  ESORT: 'SORT can return compact results.',
  SEARCHRES: 'A search result can be reused as $ in the next command.',
  WITHIN: 'SEARCH understands OLDER and YOUNGER (seconds).',
  'URL-PARTIAL': 'IMAP URLs may address part of a section.',
  NOTIFY: 'The client can ask to be told about changes in other mailboxes.',
  SAVEDATE: 'Each message records when it was saved in the mailbox.',
  'STATUS=SIZE': 'STATUS can report the total size of a mailbox.',
  PREVIEW: 'FETCH PREVIEW returns a short text preview of each message.',
  'SORT=DISPLAY': 'SORT can order by display name.',
  OBJECTID: 'Mailboxes and messages have stable ids.',
  ACL: 'Access control lists on mailboxes.',
  'UTF8=ACCEPT':
    'After ENABLE UTF8=ACCEPT the server takes and sends mailbox names and quoted strings in UTF-8, and APPEND takes UTF-8 headers (RFC 6855).',
};

/** Capabilities not in the IANA registry that real servers send (Dovecot, Gmail). */
const UNREGISTERED: Record<string, string> = {
  'SNIPPET=FUZZY':
    'An early draft form of PREVIEW (a short text preview of each message), sent by Dovecot; not in the IANA registry.',
  'PREVIEW=FUZZY': 'A draft form of PREVIEW announced by Dovecot; not in the IANA registry.',
  XLIST: 'An old Gmail way to learn special mailboxes, replaced by SPECIAL-USE; not in the IANA registry.',
};

const CAPS_IANA = 'https://www.iana.org/assignments/imap-capabilities';

/**
 * AUTH=PLAIN, THREAD=REFS, QUOTA=RES-STORAGE are members of prefix families; APPENDLIMIT=35651584
 * is the registered APPENDLIMIT with its value (RFC 7889 section 3).
 */
function capabilityRegistryEntry(cap: string) {
  return (
    IMAP_CAPABILITIES.find((e) => e.name === cap) ??
    IMAP_CAPABILITIES.filter((e) => e.name.endsWith('=') || e.name.endsWith('-')).find((e) => cap.startsWith(e.name)) ??
    (cap.includes('=') ? IMAP_CAPABILITIES.find((e) => e.name === cap.slice(0, cap.indexOf('='))) : undefined)
  );
}

export function explainCapability(capability: string): ImapEntry {
  const cap = capability.toUpperCase();
  const reg = capabilityRegistryEntry(cap);
  if (cap.startsWith('AUTH=')) {
    const m = explainSaslMechanism(cap.slice(5));
    return { name: cap, meaning: `AUTHENTICATE accepts ${m.name}: ${m.meaning}`, rfc: m.rfc, registered: !!reg };
  }
  if (cap.startsWith('APPENDLIMIT')) {
    const limit = cap.split('=')[1];
    return {
      name: cap,
      meaning: limit
        ? `APPEND takes messages of at most ${limit} octets here.`
        : 'APPEND has a size limit; each mailbox reports its own in STATUS (APPENDLIMIT).',
      rfc: rfc(7889, '3'),
      registered: true,
    };
  }
  const prefix = cap.includes('=') ? cap.slice(0, cap.indexOf('=') + 1) : '';
  const own = CAPA_TEXT[cap] ?? (prefix ? CAPA_TEXT[prefix] : undefined);
  if (own)
    return {
      name: cap,
      meaning: prefix && !CAPA_TEXT[cap] ? `${own} (${cap.slice(prefix.length)})` : own,
      rfc: reg ? refFromRegistry(reg.ref, CAPS_IANA) : R('7.2.2'),
      registered: !!reg,
    };
  if (reg)
    return {
      name: cap,
      meaning: `A registered IMAP extension (${reg.ref})${reg.obsolete ? ', now obsolete' : ''}.`,
      rfc: refFromRegistry(reg.ref, CAPS_IANA),
      registered: true,
    };
  if (UNREGISTERED[cap])
    return {
      name: cap,
      meaning: UNREGISTERED[cap],
      rfc: { doc: 'IANA IMAP Capabilities', url: CAPS_IANA },
      registered: false,
    };
  return {
    name: cap,
    meaning: cap.startsWith('X')
      ? 'A private extension of this server (X- names are not registered).'
      : 'A capability not in the IANA registry; clients ignore names they do not know.',
    rfc: R('7.2.2'),
    registered: false,
  };
}

export const IMAP_SYSTEM_FLAGS: Record<string, string> = {
  '\\Seen': 'The message has been read.',
  '\\Answered': 'The message has been answered.',
  '\\Flagged': 'The message is flagged for attention.',
  '\\Deleted': 'The message is marked for removal by the next EXPUNGE or CLOSE.',
  '\\Draft': 'The message is a draft, not yet sent.',
  '\\Recent': 'The message arrived since the last session (IMAP4rev1 only; read-only).',
  '\\*': 'You may create new keywords (your own flags) in this mailbox.',
};

export function explainFlag(flag: string): ImapEntry {
  const known = Object.keys(IMAP_SYSTEM_FLAGS).find((f) => f.toLowerCase() === flag.toLowerCase());
  if (known) return { name: known, meaning: IMAP_SYSTEM_FLAGS[known], rfc: R('2.3.2') };
  if (flag.startsWith('\\'))
    return { name: flag, meaning: 'A mailbox or message attribute defined by an extension.', rfc: R('7.3.1') };
  return { name: flag, meaning: 'A keyword: a flag defined by clients, not by the protocol.', rfc: R('2.3.2') };
}
