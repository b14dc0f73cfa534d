// GET /api/practice: what the page needs to show the connection panel — the practice targets'
// actual ports, the demo accounts (practice passwords are meant to be shown), the allowed remote
// targets. Class accounts are left out: their password is the teacher's to hand out.
// POST /api/practice/reset answers with what the reset removed (counts and names, no passwords).
import type { MailwireConfig } from './config/types.ts';
import { DEFAULT_ACCOUNTS } from './practice/defaults.ts';
import type { ResetReport } from './practice/mailstore.ts';
import type { PracticeServer } from './practice/types.ts';
import { FARAWAY_TARGETS, PRACTICE_TARGETS, type NamedTarget } from '../app/src/wire/messages.ts';
import { farawayEndpoints, type RunningRelay } from './practice/domains/relay.ts';
import { addressRestriction } from './relay/policy.ts';

export interface PracticeInfoBody {
  domain: string;
  /** The practice targets, then faraway/* while the practice internet runs (the relay dials the same). */
  targets: Array<{ target: NamedTarget; host: string; port: number; tls: 'none' | 'implicit'; starttls: boolean }>;
  accounts: Array<{ username: string; address: string; password: string }>;
  allowed: string[];
}

export function practiceInfoBody(
  config: MailwireConfig,
  practice: (PracticeServer & { relay?: RunningRelay | null }) | null,
): PracticeInfoBody {
  const demo = new Set(DEFAULT_ACCOUNTS.map((a) => a.username));
  const faraway = farawayEndpoints(practice?.relay ?? null);
  return {
    domain: practice?.config.domain ?? 'practice.test',
    targets: practice
      ? [
          ...PRACTICE_TARGETS.map((target) => ({ target, ...practice.endpoints[target] })),
          // The certificate pin and name stay on the server: the page needs only where and how.
          ...(faraway
            ? FARAWAY_TARGETS.map((target) => {
                const { host, port, tls, starttls } = faraway[target];
                return { target, host, port, tls, starttls };
              })
            : []),
        ]
      : [],
    // In a class alice and bob do not exist: each student signs in and sees their own account.
    accounts:
      practice && !(practice as { roster?: unknown }).roster
        ? practice.config.accounts
            .filter((a) => demo.has(a.username))
            .map((a) => ({
              username: a.username,
              address: `${a.username}@${practice.config.domain}`,
              password: a.password,
            }))
        : [],
    allowed: config.allow.map((a) => `${a.host}:${a.port}`),
  };
}

export interface PracticeResetBody {
  reset: true;
  /** Messages removed over all accounts (the fresh welcome messages are not counted). */
  messages: number;
  accounts: Array<{ username: string; address: string; messages: number; mailboxes: string[] }>;
}

export function practiceResetBody(report: ResetReport): PracticeResetBody {
  return {
    reset: true,
    messages: report.messages,
    accounts: report.accounts.map((a) => ({ ...a, mailboxes: [...a.mailboxes] })),
  };
}

/**
 * Who may empty the practice mailboxes over HTTP. A teacher may serve a class with --host 0.0.0.0,
 * and then every student's page is same-origin too: only the machine mailwire runs on (a loopback
 * client) may reset everyone's mail. Null when allowed, else the refusal.
 */
export function resetRefusal(clientAddress: string | undefined): { code: 'RESET_LOCAL_ONLY'; message: string } | null {
  if (clientAddress && addressRestriction(clientAddress) === 'loopback') return null;
  return {
    code: 'RESET_LOCAL_ONLY',
    message: `Only the machine mailwire runs on can reset the practice mailboxes (this request came from ${clientAddress ?? 'an unknown address'}). Ask whoever runs it, or restart it with --reset-practice.`,
  };
}
