// The practice server's defaults in one place; bridge/config/ and tests build on them.
import { DEFAULT_LIMITS, DEFAULT_PRACTICE_PORTS, type PracticeConfig } from './types.ts';

export const DEFAULT_DOMAIN = 'practice.test';
export const DEFAULT_PASSWORD = 'practice';
export const DEFAULT_ACCOUNTS = [
  { username: 'alice', password: DEFAULT_PASSWORD },
  { username: 'bob', password: DEFAULT_PASSWORD },
];

export function practiceConfigWithDefaults(partial: Partial<PracticeConfig> & { dataDir: string }): PracticeConfig {
  const domain = partial.domain ?? DEFAULT_DOMAIN;
  return {
    host: '127.0.0.1',
    domain,
    hostname: `mail.${domain}`,
    accounts: DEFAULT_ACCOUNTS,
    classSize: 0,
    rosterNames: [],
    scenarios: {},
    dnsPort: 0,
    ...partial,
    ports: { ...DEFAULT_PRACTICE_PORTS, ...partial.ports },
    limits: { ...DEFAULT_LIMITS, ...partial.limits },
  };
}
