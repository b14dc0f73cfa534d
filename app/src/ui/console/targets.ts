// The practice targets as the connection panel shows them. Ports come from the running server
// (/api/practice); these defaults describe each target when the server is not reachable.
import {
  PRACTICE_DEFAULT_PORTS,
  type FarawayTarget,
  type NamedTarget,
  type PracticeTarget,
} from '../../wire/messages.ts';

export type Protocol = 'smtp' | 'imap' | 'pop3';

export interface TargetDescription<T extends NamedTarget = PracticeTarget> {
  target: T;
  label: string;
  protocol: Protocol;
  security: string;
  port: number;
}

const TARGETS: Omit<TargetDescription, 'port'>[] = [
  {
    target: 'practice/smtp',
    label: 'SMTP relay',
    protocol: 'smtp',
    security: 'STARTTLS offered, no AUTH, local recipients only',
  },
  { target: 'practice/submission', label: 'Submission', protocol: 'smtp', security: 'STARTTLS, then AUTH' },
  { target: 'practice/smtps', label: 'SMTPS', protocol: 'smtp', security: 'implicit TLS, AUTH' },
  { target: 'practice/imap', label: 'IMAP', protocol: 'imap', security: 'STARTTLS, LOGINDISABLED before TLS' },
  { target: 'practice/imaps', label: 'IMAPS', protocol: 'imap', security: 'implicit TLS' },
  { target: 'practice/pop3', label: 'POP3', protocol: 'pop3', security: 'STLS' },
  { target: 'practice/pop3s', label: 'POP3S', protocol: 'pop3', security: 'implicit TLS' },
];

export const PRACTICE_TARGET_INFO: TargetDescription[] = TARGETS.map((t) => ({
  ...t,
  port: PRACTICE_DEFAULT_PORTS[t.target],
}));

/**
 * The other practice domain's servers. They run only with the practice internet, so the panel
 * lists one only when /api/practice does, with the port it gives.
 */
export const FARAWAY_TARGET_INFO: Omit<TargetDescription<FarawayTarget>, 'port'>[] = [
  {
    target: 'faraway/smtp',
    label: 'faraway.test MX',
    protocol: 'smtp',
    security: 'STARTTLS offered, no AUTH: mail for faraway.test only',
  },
  {
    target: 'faraway/imaps',
    label: 'faraway.test IMAPS',
    protocol: 'imap',
    security: 'implicit TLS; carol / practice',
  },
];

/** The faraway/* targets among those the running server listed, each with its port. */
export function farawayTargetsListed(
  listed: Array<{ target: string; port: number }>,
): TargetDescription<FarawayTarget>[] {
  return FARAWAY_TARGET_INFO.flatMap((t) => {
    const running = listed.find((l) => l.target === t.target);
    return running ? [{ ...t, port: running.port }] : [];
  });
}

/** Guesses the protocol of a remote target from its port (the learner can override it). */
export function protocolForPort(port: number): Protocol {
  if ([143, 993].includes(port)) return 'imap';
  if ([110, 995].includes(port)) return 'pop3';
  return 'smtp';
}

export function protocolOfTarget(target: string): Protocol {
  return [...PRACTICE_TARGET_INFO, ...FARAWAY_TARGET_INFO].find((t) => t.target === target)?.protocol ?? 'smtp';
}
