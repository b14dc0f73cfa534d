// Which accounts the practice server has. Without a class: the configured ones (alice and bob,
// whose password "practice" is public). With a class (--class N or --roster FILE): one account per
// student with its own password from DATA_DIR/class/roster.csv, the teacher, and the echo robot;
// alice and bob are left out so every account belongs to someone. Also the start-up summary.
import { randomBytes } from 'node:crypto';
import { ECHO_ACCOUNT, openRoster, type Roster } from '../classroom/roster.ts';
import type { AccountConfig } from './mailstore-types.ts';
import type { PracticeConfig, PracticeEndpoint } from './types.ts';

export interface PracticeAccounts {
  accounts: AccountConfig[];
  /** Null without a class. */
  roster: Roster | null;
}

export function isClass(config: Pick<PracticeConfig, 'classSize' | 'rosterNames'>): boolean {
  return config.classSize > 0 || config.rosterNames.length > 0;
}

export async function practiceAccounts(
  config: Pick<PracticeConfig, 'accounts' | 'classSize' | 'rosterNames' | 'dataDir'>,
): Promise<PracticeAccounts> {
  if (!isClass(config)) {
    const seen = new Map<string, AccountConfig>();
    for (const a of config.accounts) {
      const username = a.username.toLowerCase();
      if (!seen.has(username)) seen.set(username, { username, password: a.password });
    }
    return { accounts: [...seen.values()], roster: null };
  }
  const roster = await openRoster(config.dataDir, { size: config.classSize, names: config.rosterNames });
  // The robot never logs in: a fresh random password each start that nobody is told.
  const echo = { username: ECHO_ACCOUNT, password: randomBytes(24).toString('base64url') };
  const people = [roster.teacher, ...roster.students].map((e) => ({ username: e.account, password: e.password }));
  return { accounts: [...people, echo], roster };
}

/** Demo passwords are meant to be shown; class passwords stay in the roster file (the teacher's is printed). */
export function formatAccountsSummary(
  config: PracticeConfig,
  endpoints: Record<string, PracticeEndpoint>,
  fingerprint256: string,
  roster: Roster | null = null,
): string {
  const lines = [`Practice mail server for @${config.domain} (${config.hostname})`];
  if (roster) {
    const s = roster.students;
    const range = s.length ? `${s[0]!.account} .. ${s[s.length - 1]!.account} (${s.length} accounts)` : 'no students';
    const added = roster.added > 0 ? `, ${roster.added} new` : '';
    lines.push(`  class: ${range}${added}, each with its own password: see ${roster.file}`);
    lines.push(
      `  ${roster.teacher.account}@${config.domain}  password: ${roster.teacher.password}  (the teacher page: #/teacher)`,
    );
    lines.push(`  ${ECHO_ACCOUNT}@${config.domain} answers every message it receives`);
  } else {
    for (const a of config.accounts) lines.push(`  ${a.username}@${config.domain}  password: ${a.password}`);
  }
  for (const [target, ep] of Object.entries(endpoints)) {
    const how = ep.tls === 'implicit' ? 'TLS' : ep.starttls ? 'STARTTLS' : 'plain';
    lines.push(`  ${target.padEnd(20)} ${ep.host}:${ep.port}  (${how})`);
  }
  lines.push(`  certificate SHA-256 ${fingerprint256}`);
  return lines.join('\n');
}
