// Fetches the newest messages of a practice INBOX over IMAP through the bridge, for the trace view:
// LOGIN inside implicit TLS (practice/imaps), SELECT INBOX, FETCH the last few whole messages with
// BODY.PEEK[] (RFC 9051 section 6.4.5: PEEK leaves \Seen alone), LOGOUT. The bytes are the
// server's, unchanged: the trace is read from exactly what was stored.
import { ImapResponseParser, type ImapResponse } from '../protocols/imap/parse.ts';
import { BridgeSocket, type WebSocketConstructor } from './socket.ts';

export interface FetchedMessage {
  uid: number;
  subject: string;
  from: string;
  bytes: Uint8Array;
}

export type FetchInboxResult = { ok: true; messages: FetchedMessage[] } | { ok: false; code: string; message: string };

export interface FetchInboxRequest {
  wsUrl: string;
  user: string;
  password: string;
  /** How many of the newest messages (default 20). */
  last?: number;
  WebSocketImpl?: WebSocketConstructor;
  timeoutMs?: number;
}

// RFC 9051 section 4.3: a quoted string escapes only " and \.
const quoted = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

export function fetchInbox(req: FetchInboxRequest): Promise<FetchInboxResult> {
  return new Promise((resolve) => {
    const socket = new BridgeSocket(req.wsUrl, req.WebSocketImpl);
    const parser = new ImapResponseParser();
    const messages: FetchedMessage[] = [];
    let exists = 0;
    let step: 'greeting' | 'login' | 'select' | 'fetch' | 'logout' = 'greeting';
    let done = false;
    const finish = (r: FetchInboxResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve(r);
    };
    const timer = setTimeout(
      () => finish({ ok: false, code: 'IMAP_TIMEOUT', message: 'The practice IMAP server did not answer in time.' }),
      req.timeoutMs ?? 15_000,
    );
    const send = (line: string) => socket.send(`${line}\r\n`);
    const failed = (r: ImapResponse) =>
      finish({ ok: false, code: `IMAP_${r.status}`, message: `${step.toUpperCase()} failed: ${r.text}` });
    const onResponse = (r: ImapResponse) => {
      if (r.kind === 'untagged' && r.name === 'EXISTS') exists = r.number ?? 0;
      if (r.kind === 'untagged' && r.fetch) {
        const f = r.fetch;
        const body = f.sections.find((s) => s.section === '');
        if (body?.bytes && f.uid !== undefined) {
          const e = f.envelope;
          messages.push({
            uid: f.uid,
            subject: e?.subjectDecoded ?? e?.subject ?? '',
            from: e?.from?.[0]?.address ?? '',
            bytes: body.bytes,
          });
        }
      }
      if (step === 'greeting' && r.kind === 'untagged') {
        if (r.status !== 'OK') return finish({ ok: false, code: 'IMAP_GREETING', message: r.text });
        step = 'login';
        send(`a1 LOGIN ${quoted(req.user)} ${quoted(req.password)}`);
        return;
      }
      if (r.kind !== 'tagged') return;
      if (r.status !== 'OK' && step !== 'logout') return failed(r);
      if (step === 'login') {
        step = 'select';
        send('a2 SELECT INBOX');
      } else if (step === 'select') {
        if (exists === 0) return finish({ ok: true, messages });
        step = 'fetch';
        const first = Math.max(1, exists - (req.last ?? 20) + 1);
        send(`a3 FETCH ${first}:${exists} (UID ENVELOPE BODY.PEEK[])`);
      } else if (step === 'fetch') {
        step = 'logout';
        send('a4 LOGOUT');
        finish({ ok: true, messages: messages.reverse() });
      }
    };
    socket.onData = (bytes) => {
      for (const r of parser.feed(bytes)) {
        if (r.kind === 'unparsed') return finish({ ok: false, code: r.code, message: r.reason });
        onResponse(r);
        if (done) return;
      }
    };
    socket.onError = (m) => finish({ ok: false, code: m.code, message: m.message });
    socket.onClosed = (m) => finish({ ok: false, code: 'CLOSED', message: `The IMAP connection closed: ${m.reason}` });
    socket.open({ target: 'practice/imaps' });
  });
}
