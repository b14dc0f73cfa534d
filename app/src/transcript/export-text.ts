// Plain-text exports:
// - RFC style, as the examples of RFC 5321 Appendix D: "C: " for the client, "S: " for the server.
// - swaks style (the hints of swaks' transcript): " ->" sent and "<- " received in the clear,
//   " ~>" and "<~ " inside TLS, "<**" / "<~*" for an error reply, "===" information, "***" errors.
// One output line per protocol line; CRLF dropped, other control bytes shown as \xNN.

import { decodeUtf8 } from './bytes.ts';
import { forExport, type RevealOption } from './mask.ts';
import { tlsFlags, type Protocol, type Transcript, type TranscriptEvent } from './model.ts';

type Line = { side: 'C' | 'S'; text: string; tls: boolean } | { side: 'info' | 'error'; text: string; tls: boolean };

/** Shows a line's bytes as text: CRLF (or LF) end removed, control characters escaped. */
export function printableLine(bytes: Uint8Array): string {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 10) end--;
  if (end > 0 && bytes[end - 1] === 13) end--;
  return decodeUtf8(bytes.subarray(0, end)).replace(/[\x00-\x08\x0a-\x1f\x7f]/g, (c) =>
    c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

function metaLines(e: TranscriptEvent, target: string): string[] {
  switch (e.kind) {
    case 'opened': {
      const where = e.remote ? `${e.remote.address}:${e.remote.port}` : target;
      const lines = [`Connected to ${where}${e.remote && e.remote.target !== where ? ` (${e.remote.target})` : ''}.`];
      if (e.tls)
        lines.push(
          `TLS from the first byte: ${e.tls.protocol} ${e.tls.cipher}${e.tls.certificate ? `, peer ${e.tls.certificate.subject}` : ''}.`,
        );
      return lines;
    }
    case 'tls':
      return [
        `TLS started: ${e.tls.protocol} ${e.tls.cipher}${e.tls.certificate ? `, peer ${e.tls.certificate.subject}` : ''}.`,
      ];
    case 'closed':
      return [`Connection closed by the ${e.by}${e.reason ? `: ${e.reason}` : ''}.`];
    case 'error':
      return [`${e.code}: ${e.message}`];
    default:
      return [];
  }
}

/** Cuts the events into protocol lines (a line may span several received chunks). */
function toLines(transcript: Transcript): Line[] {
  const out: Line[] = [];
  const inTls = tlsFlags(transcript.events);
  const buffers = { C: [] as number[], S: [] as number[] };
  const flush = (side: 'C' | 'S', tls: boolean) => {
    if (buffers[side].length) out.push({ side, text: printableLine(Uint8Array.from(buffers[side])), tls });
    buffers[side] = [];
  };
  transcript.events.forEach((e, i) => {
    const tls = inTls[i]!;
    if (e.kind === 'sent' || e.kind === 'received') {
      const side = e.kind === 'sent' ? 'C' : 'S';
      for (const byte of e.data) {
        buffers[side].push(byte);
        if (byte === 10) flush(side, tls);
      }
      return;
    }
    flush('C', tls);
    flush('S', tls);
    const tlsBefore = i > 0 ? inTls[i - 1]! : false;
    for (const text of metaLines(e, transcript.meta.target))
      out.push({ side: e.kind === 'error' ? 'error' : 'info', text, tls: tlsBefore });
    if (e.kind === 'tls' && e.discardedPlaintextBytes > 0) {
      out.push({
        side: 'error',
        text: `${e.discardedPlaintextBytes} plaintext bytes sent after the go-ahead were discarded.`,
        tls: true,
      });
    }
  });
  flush('C', true);
  flush('S', true);
  return out;
}

/** RFC 5321 Appendix D style. Connection events appear as bracketed notes. */
export function exportRfcText(transcript: Transcript, options: RevealOption = {}): string {
  return (
    toLines(forExport(transcript, options))
      .map((l) => (l.side === 'C' || l.side === 'S' ? `${l.side}: ${l.text}` : `   [${l.text}]`))
      .join('\n') + '\n'
  );
}

/** An error reply: SMTP 4xx/5xx, POP3 -ERR, IMAP tagged NO/BAD. */
function isErrorReply(protocol: Protocol, text: string): boolean {
  if (protocol === 'smtp') return /^[45]\d\d[ -]/.test(text) || /^[45]\d\d$/.test(text);
  if (protocol === 'pop3') return text.startsWith('-ERR');
  return /^[^*+ ]+ (NO|BAD)\b/i.test(text);
}

/** swaks' transcript style. */
export function exportSwaksText(transcript: Transcript, options: RevealOption = {}): string {
  const t = forExport(transcript, options);
  return (
    toLines(t)
      .map((l) => {
        switch (l.side) {
          case 'C':
            return `${l.tls ? ' ~>' : ' ->'} ${l.text}`;
          case 'S':
            return isErrorReply(t.meta.protocol, l.text)
              ? `${l.tls ? '<~*' : '<**'} ${l.text}`
              : `${l.tls ? '<~ ' : '<- '} ${l.text}`;
          case 'info':
            return `=== ${l.text}`;
          case 'error':
            return `*** ${l.text}`;
        }
      })
      .join('\n') + '\n'
  );
}
