// The machine-readable part of a delivery status notification (message/delivery-status, RFC 3464
// section 2.1), field by field: the per-message block, then one block per recipient, each field
// with what it says in words and its RFC section. Status codes are read by RFC 3463 section 3.
// Pure: text in, plain data out.

export interface DsnField {
  name: string;
  value: string;
  note: string;
  rfc: string;
}

export interface DeliveryStatus {
  /** The per-message fields (RFC 3464 section 2.2). */
  message: DsnField[];
  /** One list per recipient (RFC 3464 section 2.3). */
  recipients: DsnField[][];
}

// RFC 3463 section 3: the class and the subject of a status code, and the common details.
const STATUS_CLASS: Record<string, string> = {
  '2': 'success',
  '4': 'a temporary failure: the server will try again',
  '5': 'a permanent failure: it will not be retried',
};
const STATUS_DETAIL: Record<string, string> = {
  '1.1': 'bad destination mailbox address: no such user',
  '1.2': 'bad destination system address: the domain does not exist or takes no mail',
  '1.3': 'bad destination mailbox address syntax',
  '2.1': 'mailbox disabled, not accepting messages',
  '2.2': 'mailbox full',
  '3.4': 'message too big for the system',
  '4.1': 'no answer from host',
  '4.4': 'unable to route',
  '4.7': 'delivery time expired: the server retried until it gave up',
  '7.1': 'delivery not authorized, message refused',
};

function statusNote(code: string): string {
  const [klass, subject, detail] = code.split('.');
  const what = STATUS_DETAIL[`${subject}.${detail}`];
  return `${STATUS_CLASS[klass] ?? 'an unknown class'}${what ? `; ${what}` : ''}.`;
}

const DSN_FIELDS: Record<string, { note: (v: string) => string; rfc: string }> = {
  'original-envelope-id': {
    note: () => 'The ENVID the sender gave at MAIL FROM, echoed back so its software can match the report.',
    rfc: 'RFC 3464 section 2.2.1, RFC 3461 section 4.4',
  },
  'reporting-mta': {
    note: (v) => `The server that wrote this report: ${v.replace(/^dns;\s*/i, '')}.`,
    rfc: 'RFC 3464 section 2.2.2',
  },
  'dsn-gateway': { note: () => 'A gateway that turned a foreign report into this DSN.', rfc: 'RFC 3464 section 2.2.3' },
  'received-from-mta': {
    note: () => 'The server the reporting server got the message from.',
    rfc: 'RFC 3464 section 2.2.4',
  },
  'arrival-date': { note: () => 'When the reporting server accepted the message.', rfc: 'RFC 3464 section 2.2.5' },
  'original-recipient': {
    note: () => 'The recipient as the sender first gave it (the ORCPT parameter).',
    rfc: 'RFC 3464 section 2.3.1, RFC 3461 section 4.2',
  },
  'final-recipient': {
    note: () => 'The recipient the report is about, as the reporting server knew it.',
    rfc: 'RFC 3464 section 2.3.2',
  },
  action: {
    note: (v) =>
      ({
        failed: 'failed: the message could not be delivered and will not be retried.',
        delayed: 'delayed: not delivered yet; the server keeps trying.',
        delivered: "delivered: it reached the recipient's mailbox (a report asked for with NOTIFY=SUCCESS).",
        relayed: 'relayed: handed to a server that sends no reports.',
        expanded: 'expanded: delivered to a list or alias, which sent it on.',
      })[v.toLowerCase()] ?? 'An action this page does not know.',
    rfc: 'RFC 3464 section 2.3.3',
  },
  status: { note: (v) => `Status ${v}: ${statusNote(v)}`, rfc: 'RFC 3464 section 2.3.4, RFC 3463 section 3' },
  'remote-mta': {
    note: (v) => `The server that gave the answer: ${v.replace(/^dns;\s*/i, '')}.`,
    rfc: 'RFC 3464 section 2.3.5',
  },
  'diagnostic-code': {
    note: () => "That server's own reply, word for word: the reason in its words.",
    rfc: 'RFC 3464 section 2.3.6',
  },
  'last-attempt-date': { note: () => 'When the server last tried to deliver.', rfc: 'RFC 3464 section 2.3.7' },
  'final-log-id': {
    note: () => 'The id the reporting server logged the message under.',
    rfc: 'RFC 3464 section 2.3.8',
  },
  'will-retry-until': { note: () => 'For a delayed message: when the server gives up.', rfc: 'RFC 3464 section 2.3.9' },
};

function fieldsOf(block: string): DsnField[] {
  const out: { name: string; value: string }[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1].value += ` ${line.trim()}`;
    else {
      const i = line.indexOf(':');
      if (i > 0) out.push({ name: line.slice(0, i).trim(), value: line.slice(i + 1).trim() });
    }
  }
  return out.map(({ name, value }) => {
    const known = DSN_FIELDS[name.toLowerCase()];
    return {
      name,
      value,
      note: known ? known.note(value) : 'An extension field.',
      rfc: known?.rfc ?? 'RFC 3464 section 2.4',
    };
  });
}

/** The message/delivery-status body: per-message fields, then one block per recipient (RFC 3464 2.1). */
export function parseDeliveryStatus(body: string): DeliveryStatus {
  const blocks = body
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .map((b) => b.trim())
    .filter(Boolean);
  return { message: blocks.length ? fieldsOf(blocks[0]) : [], recipients: blocks.slice(1).map(fieldsOf) };
}
