// What the learner can do about each bridge error (the message itself says what happened).
import type { ErrorCode } from '../../wire/messages.ts';

const ADVICE: Partial<Record<ErrorCode, string>> = {
  TARGET_NOT_ALLOWED:
    'Pick a practice target, or ask your teacher to start mailwire with --allow HOST:PORT for this server.',
  PORT_NOT_ALLOWED: 'Only mail ports are relayed (25, 465, 587, 143, 993, 110, 995, 2525); check the port number.',
  ADDRESS_NOT_ALLOWED:
    'This name points at a loopback or private address; a teacher can permit that with --allow-private.',
  ORIGIN_NOT_ALLOWED: 'Open the page from the address mailwire printed when it started.',
  DNS_FAILED: 'Check the spelling of the host name.',
  CONNECT_REFUSED: 'Nothing listens on that port: is the server running, and is the port right?',
  CONNECT_TIMEOUT: 'The server did not answer; it may be down or blocked by a firewall.',
  CONNECTION_RESET: 'The server dropped the connection; connect again.',
  TLS_FAILED: 'The TLS handshake failed: is this a TLS port? For STARTTLS ports choose "none" and upgrade later.',
  TLS_CERT_INVALID:
    "The server's certificate could not be verified, so mailwire did not continue (it never falls back to plaintext).",
  LIMIT_REACHED: 'Too many connections are open; close a tab and try again.',
  FRAME_TOO_LARGE: 'Send less at once (for large messages, the studio sends in pieces).',
  IDLE_TIMEOUT: 'The connection was idle too long; connect again.',
  LIFETIME_EXCEEDED: 'The connection reached its maximum lifetime; connect again.',
  PRACTICE_UNAVAILABLE:
    'mailwire was started with --no-practice, or the practice server failed to start; check its output.',
  BAD_MESSAGE: 'This is a bug in the page or a hand-made message; reload the page.',
  BAD_STATE: "That action does not fit the connection's state now.",
};

export function explainBridgeError(code: string): string {
  return ADVICE[code as ErrorCode] ?? '';
}
