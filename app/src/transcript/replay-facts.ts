// What a script needs to redo a recorded session: where it connected, how (TLS), and the commands
// in order with the status each got. Shared by the Python and curl exports.

import { dotUnstuff } from '../protocols/common/dot-stuffing.ts';
import { concat, decodeUtf8, fromBase64 } from './bytes.ts';
import { forExport, MASK, type RevealOption } from './mask.ts';
import type { Protocol, Transcript } from './model.ts';
import { partsText, splitSteps, type Step } from './steps.ts';

export interface ReplayCommand {
  /** The first line of the command, without CRLF, as exported (masked unless revealed). */
  line: string;
  /** The exact bytes the client sent for this step (e.g. the whole message after DATA). */
  bytes: Uint8Array;
  status: string | null;
  statusLine: string | null;
  step: Step;
}

export interface ReplayFacts {
  protocol: Protocol;
  target: string;
  host: string | null;
  port: number | null;
  implicitTls: boolean;
  /** The practice server (self-signed certificate: scripts skip verification for it only). */
  practice: boolean;
  /** Some credential was masked in this export: scripts read it from the environment. */
  masked: boolean;
  commands: ReplayCommand[];
}

export interface ScriptOptions extends RevealOption {
  /** Where the script should connect instead of the recorded address (e.g. the practice server's
   * current port when exporting a bundled example recorded elsewhere). */
  endpoint?: { host: string; port: number };
}

export function replayFacts(transcript: Transcript, options: ScriptOptions = {}): ReplayFacts {
  const t = forExport(transcript, options);
  const opened = t.events.find((e) => e.kind === 'opened');
  const remote = opened?.kind === 'opened' ? opened.remote : null;
  const hostPort = /^\[?([^\]]+?)\]?:(\d+)$/.exec(t.meta.target);
  const host = remote?.target.startsWith('practice/') ? remote.address : (remote?.host ?? hostPort?.[1] ?? null);
  const port = remote?.port ?? (hostPort ? Number(hostPort[2]) : null);
  const tlsInfos = t.events.flatMap((e) => (e.kind === 'tls' ? [e.tls] : e.kind === 'opened' && e.tls ? [e.tls] : []));
  const practice =
    t.meta.target.startsWith('practice/') ||
    tlsInfos.some((i) => /practice/i.test(i.verifyReason ?? '') || /practice/i.test(i.certificate?.subject ?? ''));
  const steps = splitSteps(t);
  const commands = steps
    .filter((s) => s.kind === 'command')
    .map((step) => {
      const bytes = concat(
        step.sent.map((p) => (t.events[p.event] as { data: Uint8Array }).data.subarray(p.start, p.end)),
      );
      return {
        line: partsText(t.events, step.sent, false).split(/\r?\n/)[0]!,
        bytes,
        status: step.status,
        statusLine: step.statusLine,
        step,
      };
    });
  return {
    protocol: t.meta.protocol,
    target: t.meta.target,
    host: options.endpoint?.host ?? host,
    port: options.endpoint?.port ?? port,
    implicitTls: opened?.kind === 'opened' && opened.tls !== null,
    practice,
    masked: t.events.some(
      (e) => (e.kind === 'sent' || e.kind === 'received') && e.masked === true && (e.secret?.length ?? 0) > 0,
    ),
    commands,
  };
}

export const isMasked = (text: string | undefined) => text === undefined || text.includes(MASK);

/** Decodes a SASL base64 payload to text, or null when it is masked or not base64. */
export function saslText(payload: string | undefined): string | null {
  if (!payload || isMasked(payload)) return null;
  const bytes = fromBase64(payload.trim());
  return bytes ? decodeUtf8(bytes) : null;
}

/** Undoes SMTP dot-stuffing (RFC 5321 4.5.2) and drops the final ".": the message as submitted. */
export function unstuffSmtpData(bytes: Uint8Array): Uint8Array {
  return dotUnstuff(bytes, { partial: true })!;
}

/** An IMAP astring (atom or quoted) as its value. */
export function imapUnquote(arg: string): string {
  return arg.startsWith('"') && arg.endsWith('"') && arg.length >= 2
    ? arg.slice(1, -1).replace(/\\(["\\])/g, '$1')
    : arg;
}

/** Splits IMAP arguments at spaces outside quotes and parentheses/brackets. */
export function imapArgs(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      cur += c;
      if (c === '\\') cur += text[++i] ?? '';
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      cur += c;
    } else if (c === '(' || c === '[') {
      depth++;
      cur += c;
    } else if (c === ')' || c === ']') {
      depth--;
      cur += c;
    } else if (c === ' ' && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}
