// Reply shapes of POP3: "+OK text" / "-ERR [CODE] text" status lines (RFC 1939 section 3) with the
// extended response codes of RFC 2449 section 8 and RFC 3206, and what the connection does next.

/** RFC 2449 section 8 (IN-USE, LOGIN-DELAY) and RFC 3206 (SYS/TEMP, SYS/PERM, AUTH). */
export type ResponseCode = 'IN-USE' | 'LOGIN-DELAY' | 'SYS/TEMP' | 'SYS/PERM' | 'AUTH';

/** What the server does after sending a response. */
export type After = 'continue' | 'starttls' | 'close';

export interface Response {
  /** Bytes to send, in order (status line, then any multi-line body). */
  chunks: Array<string | Uint8Array>;
  after: After;
}

export function ok(text: string): string {
  return `+OK ${text}\r\n`;
}

export function err(text: string, code?: ResponseCode): string {
  return `-ERR ${code ? `[${code}] ` : ''}${text}\r\n`;
}

export function respond(...chunks: Array<string | Uint8Array>): Response {
  return { chunks, after: 'continue' };
}

/** A multi-line response whose lines are short text (LIST, UIDL, CAPA): none starts with ".". */
export function multiline(status: string, lines: string[]): Response {
  return respond(status + lines.map((l) => `${l}\r\n`).join('') + '.\r\n');
}
