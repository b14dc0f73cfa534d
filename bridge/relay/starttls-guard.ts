// The STARTTLS injection guard (CVE-2011-0411 and its client-side twin, response injection).
// After a client asks for TLS (SMTP "STARTTLS", IMAP "tag STARTTLS", POP3 "STLS"), the server's
// go-ahead must be the last plaintext it sends: RFC 3207 section 4, RFC 3501 section 6.2.1 and
// RFC 2595 section 4 all switch to TLS right after that reply. Whatever arrives behind the
// go-ahead, in the same read or later, was not sent by an honest server (it is a man in the
// middle's injection); the bridge holds it back from the browser and, when the browser sends
// `starttls`, drops it and reports how many bytes it dropped. Pure: bytes in, decisions out.
import { latin1 } from '../../app/src/protocols/common/bytes.ts';

type Dialect = { kind: 'smtp' } | { kind: 'pop3' } | { kind: 'imap'; tag: string };
type State = { phase: 'idle' } | { phase: 'awaiting-reply'; dialect: Dialect; line: string } | { phase: 'go-ahead' };

const HELD_CAP = 64 * 1024;
const LINE_CAP = 4096;

export type ServerFilterResult = { forward: Uint8Array | null };

/** What a final reply line to the STARTTLS command says: 'yes', 'no', or null if not final. */
function verdict(dialect: Dialect, line: string): 'yes' | 'no' | null {
  switch (dialect.kind) {
    case 'smtp': {
      const m = /^(\d)\d\d( |\r?$)/.exec(line);
      if (!m) return null; // "220-..." continues a multi-line reply
      return m[1] === '2' ? 'yes' : 'no';
    }
    case 'pop3':
      return line.startsWith('+OK') ? 'yes' : line.startsWith('-ERR') ? 'no' : null;
    case 'imap': {
      if (!line.startsWith(`${dialect.tag} `)) return null; // untagged or continuation lines
      return /^OK\b/i.test(line.slice(dialect.tag.length + 1)) ? 'yes' : 'no';
    }
  }
}

/** True when the bytes end in "...TLS\r\n" or "...TLS\n" (any case): a STARTTLS/STLS candidate. */
function endsWithTlsLine(b: Uint8Array): boolean {
  let end = b.length;
  if (end === 0 || b[end - 1] !== 0x0a) return false;
  end--;
  if (end > 0 && b[end - 1] === 0x0d) end--;
  if (end < 3) return false;
  return (b[end - 3]! | 0x20) === 0x74 && (b[end - 2]! | 0x20) === 0x6c && (b[end - 1]! | 0x20) === 0x73;
}

export class StartTlsGuard {
  private state: State = { phase: 'idle' };
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** Bytes dropped at once because the hold was full; counted with the held ones. */
  private overflow = 0;

  get phase(): State['phase'] {
    return this.state.phase;
  }

  /** Looks at bytes the browser sends; returns held bytes to release first, if the learner went on in plaintext. */
  noteClientBytes(bytes: Uint8Array): Uint8Array[] {
    if (this.state.phase === 'idle' && !endsWithTlsLine(bytes)) return []; // the common case, kept cheap
    const text = latin1(bytes, Math.max(0, bytes.length - 300));
    const m = /(?:^|\n)(?:([A-Za-z0-9.+_-]+) )?(STARTTLS|STLS)\r?\n$/i.exec(text);
    let released: Uint8Array[] = [];
    if (this.state.phase === 'go-ahead') released = this.release();
    if (!m) {
      this.state = { phase: 'idle' };
      return released;
    }
    const dialect: Dialect =
      m[2]!.toUpperCase() === 'STLS' ? { kind: 'pop3' } : m[1] ? { kind: 'imap', tag: m[1] } : { kind: 'smtp' };
    this.state = { phase: 'awaiting-reply', dialect, line: '' };
    return released;
  }

  /** Filters bytes from the server before they go to the browser. */
  filterServerBytes(bytes: Uint8Array): ServerFilterResult {
    const st = this.state;
    if (st.phase === 'idle') return { forward: bytes };
    if (st.phase === 'go-ahead') {
      this.hold(bytes);
      return { forward: null };
    }
    let lineStart = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] !== 0x0a) continue;
      const line = (st.line + latin1(bytes, lineStart, i)).replace(/\r$/, '');
      st.line = '';
      lineStart = i + 1;
      const v = verdict(st.dialect, line);
      if (v === 'no') {
        this.state = { phase: 'idle' };
        return { forward: bytes };
      }
      if (v === 'yes') {
        this.state = { phase: 'go-ahead' };
        if (i + 1 < bytes.length) this.hold(bytes.subarray(i + 1));
        return { forward: bytes.subarray(0, i + 1) };
      }
    }
    st.line = (st.line + latin1(bytes, lineStart)).slice(-LINE_CAP);
    return { forward: bytes };
  }

  /** The browser sent `starttls`: drop what was held. Returns how many bytes were dropped. */
  discardHeld(): number {
    const n = this.heldBytes + this.overflow;
    this.held = [];
    this.heldBytes = 0;
    this.overflow = 0;
    this.state = { phase: 'idle' };
    return n;
  }

  private hold(bytes: Uint8Array): void {
    if (this.heldBytes + bytes.length > HELD_CAP) {
      this.overflow += bytes.length;
      return;
    }
    this.held.push(bytes);
    this.heldBytes += bytes.length;
  }

  private release(): Uint8Array[] {
    const out = this.held;
    this.held = [];
    this.heldBytes = 0;
    this.overflow = 0;
    return out;
  }
}
