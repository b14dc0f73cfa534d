// Shared shapes of the protocol modules: RFC references, annotations, warnings, unparsed input.

/** Where the protocol decides: document, section and a link a learner can open. */
export interface RfcRef {
  doc: string;
  section?: string;
  url: string;
}

/**
 * How a reply turned out, for colouring: positive, waiting for more input, temporary or permanent
 * failure; `failed` is a failure the protocol does not class as either (IMAP NO: an operational
 * error, RFC 9051 section 7.1.2; POP3 -ERR without a response code), `error` a protocol or syntax
 * error (IMAP BAD, RFC 9051 section 7.1.3).
 */
export type Outcome = 'success' | 'continue' | 'transient' | 'permanent' | 'info' | 'failed' | 'error';

/** One named item inside a reply (an EHLO keyword, a capability, an enhanced code, a FETCH item). */
export interface AnnotationDetail {
  term: string;
  text: string;
  rfc?: RfcRef;
}

/** The explanation of one server reply, in the context of what the learner sent. */
export interface Annotation {
  title: string;
  /** One sentence (occasionally two) saying what this reply means after the command the learner sent. */
  meaning: string;
  rfc: RfcRef;
  outcome: Outcome;
  /** The badge in the protocol's own words ("NO: operational error", "transient failure (4yz)"). */
  badge?: string;
  details?: AnnotationDetail[];
  /** A base64 challenge decoded (SMTP 334, IMAP "+ ..."), when it decodes to text. */
  decoded?: string;
  /** True when the reply is about the session's state (503, IMAP BAD on a state error): the UI points at the state panel. */
  aboutState?: boolean;
}

/** A warning about a line the learner is about to send. `fix` is the corrected line when there is an obvious one. */
export interface Warning {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  rfc?: RfcRef;
  fix?: string;
}

/** A command the helper knows: for completion and the syntax hint. */
export interface CommandInfo {
  name: string;
  syntax: string;
  summary: string;
  rfc: RfcRef;
}

/** What the helper says about the text typed so far. */
export interface Hint {
  /** The command being typed, once its name is recognised. */
  command?: CommandInfo;
  /** Commands whose name starts with what was typed, the ones valid now first. */
  completions: CommandInfo[];
}

/** Server input that did not parse: kept with the reason, never thrown. */
export interface Unparsed {
  kind: 'unparsed';
  raw: string;
  code: string;
  reason: string;
}

export function rfc(num: number, section?: string): RfcRef {
  const base = `https://www.rfc-editor.org/rfc/rfc${num}.html`;
  return section ? { doc: `RFC ${num}`, section, url: `${base}#section-${section}` } : { doc: `RFC ${num}`, url: base };
}

/** Turn a registry reference such as "RFC 4954" into an RfcRef (non-RFC references link to IANA). */
export function refFromRegistry(ref: string, ianaUrl: string): RfcRef {
  const m = /^RFC\s?(\d+)$/.exec(ref.trim());
  return m ? rfc(Number(m[1])) : { doc: ref, url: ianaUrl };
}
