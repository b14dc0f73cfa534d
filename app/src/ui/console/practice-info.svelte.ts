// What the running mailwire tells the page about its practice server (/api/practice): actual
// ports, demo accounts (practice passwords are meant to be shown) and the allowed remote targets.
import type { NamedTarget, PracticeTarget } from '../../wire/messages.ts';

export interface PracticeInfoResponse {
  domain: string;
  /** The practice targets, and faraway/* while the practice internet runs. */
  targets: Array<{ target: NamedTarget; host: string; port: number; tls: 'none' | 'implicit'; starttls: boolean }>;
  accounts: Array<{ username: string; address: string; password: string }>;
  allowed: string[];
}

class PracticeInfo {
  loaded = $state(false);
  domain = $state('practice.test');
  targets = $state<PracticeInfoResponse['targets']>([]);
  accounts = $state<PracticeInfoResponse['accounts']>([
    { username: 'alice', address: 'alice@practice.test', password: 'practice' },
    { username: 'bob', address: 'bob@practice.test', password: 'practice' },
  ]);
  allowed = $state<string[]>([]);

  portOf(target: PracticeTarget): number | undefined {
    return this.targets.find((t) => t.target === target)?.port;
  }

  async load(): Promise<void> {
    try {
      const res = await fetch('/api/practice');
      if (!res.ok) return;
      const info = (await res.json()) as PracticeInfoResponse;
      this.domain = info.domain;
      this.targets = info.targets;
      if (info.accounts.length) this.accounts = info.accounts;
      this.allowed = info.allowed;
      this.loaded = true;
    } catch {
      // Served without the bridge (vite dev alone): keep the defaults.
    }
  }
}

export const practiceInfo = new PracticeInfo();
if (typeof window !== 'undefined') void practiceInfo.load();
