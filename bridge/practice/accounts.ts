// Which accounts the practice server has: the configured ones plus, for a class, student01..studentN
// with the class password, each with a separate mailbox. Also the summary printed at start.
import type { AccountConfig } from './mailstore-types.ts';
import type { PracticeConfig, PracticeEndpoint } from './types.ts';

export function classAccounts(size: number, password: string): AccountConfig[] {
  const width = Math.max(2, String(size).length);
  return Array.from({ length: Math.max(0, Math.floor(size)) }, (_, i) => ({
    username: `student${String(i + 1).padStart(width, '0')}`,
    password,
  }));
}

/** Configured accounts and the class, de-duplicated by username (the configured entry wins). */
export function practiceAccounts(config: Pick<PracticeConfig, 'accounts' | 'classSize' | 'classPassword'>): AccountConfig[] {
  const seen = new Map<string, AccountConfig>();
  for (const a of [...config.accounts, ...classAccounts(config.classSize, config.classPassword)]) {
    const username = a.username.toLowerCase();
    if (!seen.has(username)) seen.set(username, { username, password: a.password });
  }
  return [...seen.values()];
}

/** Practice passwords are meant to be shown: they protect nothing and a learner needs them. */
export function formatAccountsSummary(
  config: PracticeConfig,
  endpoints: Record<string, PracticeEndpoint>,
  fingerprint256: string,
): string {
  const lines = [`Practice mail server for @${config.domain} (${config.hostname})`];
  const classNames = new Set(classAccounts(config.classSize, config.classPassword).map((a) => a.username));
  for (const a of config.accounts) lines.push(`  ${a.username}@${config.domain}  password: ${a.password}`);
  if (config.classSize > 0) {
    const names = [...classNames];
    lines.push(`  class: ${names[0]} .. ${names[names.length - 1]} (${names.length} accounts)  password: ${config.classPassword}`);
  }
  for (const [target, ep] of Object.entries(endpoints)) {
    const how = ep.tls === 'implicit' ? 'TLS' : ep.starttls ? 'STARTTLS' : 'plain';
    lines.push(`  ${target.padEnd(20)} ${ep.host}:${ep.port}  (${how})`);
  }
  lines.push(`  certificate SHA-256 ${fingerprint256}`);
  return lines.join('\n');
}
