// The practice targets as the connection panel shows them. Ports come from the running server
// (/api/practice); these defaults describe each target when the server is not reachable.
import type { PracticeTarget } from '../../wire/messages.ts';

export type Protocol = 'smtp' | 'imap' | 'pop3';

export interface TargetDescription {
  target: PracticeTarget;
  label: string;
  protocol: Protocol;
  port: number;
  security: string;
}

export const PRACTICE_TARGET_INFO: TargetDescription[] = [
  { target: 'practice/smtp', label: 'SMTP relay', protocol: 'smtp', port: 10025, security: 'STARTTLS offered, no AUTH, local recipients only' },
  { target: 'practice/submission', label: 'Submission', protocol: 'smtp', port: 10587, security: 'STARTTLS, then AUTH' },
  { target: 'practice/smtps', label: 'SMTPS', protocol: 'smtp', port: 10465, security: 'implicit TLS, AUTH' },
  { target: 'practice/imap', label: 'IMAP', protocol: 'imap', port: 10143, security: 'STARTTLS, LOGINDISABLED before TLS' },
  { target: 'practice/imaps', label: 'IMAPS', protocol: 'imap', port: 10993, security: 'implicit TLS' },
  { target: 'practice/pop3', label: 'POP3', protocol: 'pop3', port: 10110, security: 'STLS' },
  { target: 'practice/pop3s', label: 'POP3S', protocol: 'pop3', port: 10995, security: 'implicit TLS' },
];

/** Guesses the protocol of a remote target from its port (the learner can override it). */
export function protocolForPort(port: number): Protocol {
  if ([143, 993].includes(port)) return 'imap';
  if ([110, 995].includes(port)) return 'pop3';
  return 'smtp';
}

export function protocolOfTarget(target: string): Protocol {
  return PRACTICE_TARGET_INFO.find((t) => t.target === target)?.protocol ?? 'smtp';
}
