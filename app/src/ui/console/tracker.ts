// One interface over the three protocol modules, so the console renders SMTP, IMAP and POP3 the
// same way. Holds no protocol knowledge of its own: parsing, state and explanations come from
// app/src/protocols.

import type { Annotation, Hint, Warning } from '../../protocols/common/types.ts';
import { annotateImapResponse } from '../../protocols/imap/annotate.ts';
import { imapCheck, imapHint } from '../../protocols/imap/commands.ts';
import type { FetchData } from '../../protocols/imap/fetch.ts';
import { ImapResponseParser } from '../../protocols/imap/parse.ts';
import { IMAP_STATES, ImapSession } from '../../protocols/imap/state.ts';
import { annotatePop3Response } from '../../protocols/pop3/annotate.ts';
import { pop3Check, pop3Hint } from '../../protocols/pop3/commands.ts';
import { Pop3ResponseParser } from '../../protocols/pop3/parse.ts';
import { POP3_STATES, Pop3Session } from '../../protocols/pop3/state.ts';
import { annotateSmtpReply } from '../../protocols/smtp/annotate.ts';
import { smtpCheck, smtpHint } from '../../protocols/smtp/commands.ts';
import { SmtpReplyParser } from '../../protocols/smtp/parse.ts';
import { SMTP_STATES, SmtpSession } from '../../protocols/smtp/state.ts';
import type { Protocol } from './targets.ts';

export interface ReplyView {
  /** The reply exactly as received. */
  raw: string;
  /** Null when the input did not parse (the reason is in the annotation). */
  annotation: Annotation;
  /** The line the learner sent that this reply answers. */
  command?: string;
  /** IMAP FETCH data, rendered as a tree. */
  fetch?: FetchData;
  /** This reply is the server's go-ahead for STARTTLS/STLS: the client upgrades now. */
  startTlsGoAhead: boolean;
}

export interface CapabilitySnapshot {
  phase: string;
  items: string[];
}

export interface StateView {
  state: string;
  label: string;
  validCommands: string[];
  tls: boolean;
  /** Each EHLO/CAPABILITY/CAPA list the server gave, with the phase it came in. */
  capabilities: CapabilitySnapshot[];
  /** IMAP: the selected mailbox. */
  mailbox?: string;
}

export interface Tracker {
  readonly protocol: Protocol;
  sent(text: string): void;
  received(bytes: Uint8Array): ReplyView[];
  tlsStarted(): void;
  closed(): ReplyView[];
  check(line: string): Warning[];
  hint(typed: string): Hint;
  view(): StateView;
  /** IMAP: a fresh tag to suggest; others: null. */
  suggestTag(): string | null;
}

const unparsed = (raw: string, reason: string): ReplyView => ({
  raw,
  annotation: { title: 'Not understood', meaning: reason, rfc: { doc: 'mailwire', url: '#' }, outcome: 'info' },
  startTlsGoAhead: false,
});

function smtpTracker(): Tracker {
  const session = new SmtpSession();
  const parser = new SmtpReplyParser();
  const toView = (parsed: ReturnType<SmtpReplyParser['feed']>): ReplyView[] =>
    parsed.map((r) => {
      if (r.kind !== 'reply') return unparsed(r.raw, r.reason);
      const tlsBefore = session.tls;
      const ex = session.serverReply(r);
      return {
        raw: r.raw,
        annotation: annotateSmtpReply(r, { command: ex.command, stateBefore: ex.stateBefore, tls: tlsBefore }),
        command: ex.command?.line,
        startTlsGoAhead: ex.command?.verb === 'STARTTLS' && r.code === 220,
      };
    });
  return {
    protocol: 'smtp',
    sent: (text) => session.clientSent(text),
    received: (bytes) => toView(parser.feed(bytes)),
    tlsStarted: () => session.tlsStarted(),
    closed: () => toView(parser.flush()),
    check: (line) => smtpCheck(line, session),
    hint: (typed) => smtpHint(typed, session),
    view: () => ({
      state: session.state,
      label: SMTP_STATES[session.state].label,
      validCommands: session.validCommands(),
      tls: session.tls,
      capabilities: session.ehloHistory.map((h) => ({ phase: h.phase, items: h.keywords.map((k) => [k.keyword, ...k.params].join(' ')) })),
    }),
    suggestTag: () => null,
  };
}

function imapTracker(): Tracker {
  const session = new ImapSession();
  const parser = new ImapResponseParser();
  const toView = (parsed: ReturnType<ImapResponseParser['feed']>): ReplyView[] =>
    parsed.map((r) => {
      if (r.kind === 'unparsed') return unparsed(r.raw, r.reason);
      const ex = session.serverResponse(r);
      return {
        raw: r.raw,
        annotation: annotateImapResponse(r, { command: ex.command, stateBefore: ex.stateBefore }),
        command: r.kind === 'tagged' ? ex.command?.line : undefined,
        fetch: r.fetch,
        startTlsGoAhead: r.kind === 'tagged' && ex.command?.name === 'STARTTLS' && r.status === 'OK',
      };
    });
  return {
    protocol: 'imap',
    sent: (text) => session.clientSent(text),
    received: (bytes) => toView(parser.feed(bytes)),
    tlsStarted: () => session.tlsStarted(),
    closed: () => toView(parser.flush()),
    check: (line) => imapCheck(line, session),
    hint: (typed) => imapHint(typed, session),
    view: () => ({
      state: session.state,
      label: IMAP_STATES[session.state].label,
      validCommands: session.validCommands(),
      tls: session.tls,
      capabilities: session.capabilityHistory.map((h) => ({ phase: h.phase, items: h.capabilities })),
      mailbox: session.mailbox?.name,
    }),
    suggestTag: () => session.nextTag(),
  };
}

function pop3Tracker(): Tracker {
  const session = new Pop3Session();
  const parser = new Pop3ResponseParser();
  const toView = (parsed: ReturnType<Pop3ResponseParser['feed']>): ReplyView[] =>
    parsed.map((r) => {
      if (r.kind !== 'response') return unparsed(r.raw, r.reason);
      const ex = session.serverResponse(r);
      return {
        raw: r.raw,
        annotation: annotatePop3Response(r, { stateBefore: ex.stateBefore }),
        command: ex.command,
        startTlsGoAhead: /^STLS\s*$/i.test(ex.command ?? '') && r.status === '+OK',
      };
    });
  return {
    protocol: 'pop3',
    sent: (text) => {
      for (const line of session.clientSent(text)) parser.expect(line);
    },
    received: (bytes) => toView(parser.feed(bytes)),
    tlsStarted: () => session.tlsStarted(),
    closed: () => {
      session.closed();
      return toView(parser.flush());
    },
    check: (line) => pop3Check(line, session),
    hint: (typed) => pop3Hint(typed, session),
    view: () => ({
      state: session.state,
      label: POP3_STATES[session.state].label,
      validCommands: session.validCommands(),
      tls: session.tls,
      capabilities: session.capaHistory.map((h) => ({ phase: h.phase, items: h.capabilities })),
    }),
    suggestTag: () => null,
  };
}

export function createTracker(protocol: Protocol): Tracker {
  return protocol === 'imap' ? imapTracker() : protocol === 'pop3' ? pop3Tracker() : smtpTracker();
}
