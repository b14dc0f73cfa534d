// The practice mailstore: one Maildir tree for SMTP delivery, IMAP and POP3, under
// `${dataDir}/mail/<username>/<mailbox>/{tmp,new,cur}`. Every write is durable before it resolves.
import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { MaildirAccount } from './maildir/account.ts';
import { welcomeMessage } from './maildir/welcome.ts';
import { MailstoreError, type Account, type AccountConfig, type AccountStore, type MailstoreApi } from './mailstore-types.ts';
import { DEFAULT_LIMITS } from './types.ts';

export interface MailstoreOptions {
  dataDir: string;
  domain: string;
  accounts: AccountConfig[];
  limits?: { maxMessageSize?: number };
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export async function openMailstore(opts: MailstoreOptions): Promise<MailstoreApi> {
  const domain = opts.domain.toLowerCase();
  const mailDir = path.join(opts.dataDir, 'mail');
  const maxMessageSize = opts.limits?.maxMessageSize ?? DEFAULT_LIMITS.maxMessageSize;
  const configs = new Map<string, { account: Account; digest: Buffer }>();
  for (const a of opts.accounts) {
    const username = a.username.toLowerCase();
    if (!USERNAME.test(username)) {
      throw new Error(`The account name "${a.username}" is not usable: use 1-64 of a-z 0-9 . _ - starting with a letter or digit.`);
    }
    configs.set(username, { account: { username, address: `${username}@${domain}` }, digest: sha256(a.password) });
  }

  let stores = new Map<string, MaildirAccount>();
  async function openAll(): Promise<void> {
    await mkdir(mailDir, { recursive: true });
    const next = new Map<string, MaildirAccount>();
    for (const [username, { account }] of configs) {
      next.set(username, await MaildirAccount.open(account, path.join(mailDir, username), maxMessageSize, () => welcomeMessage(username, domain)));
    }
    stores = next;
  }
  async function closeAll(): Promise<void> {
    const old = stores;
    stores = new Map();
    for (const s of old.values()) await s.close();
  }
  await openAll();

  function usernameOf(login: string): string | null {
    const lower = login.trim().toLowerCase();
    const at = lower.lastIndexOf('@');
    if (at === -1) return lower;
    return lower.slice(at + 1) === domain ? lower.slice(0, at) : null;
  }

  const api: MailstoreApi = {
    domain,
    authenticate(login, password) {
      const username = usernameOf(login);
      const entry = username === null ? undefined : configs.get(username);
      // Compare digests in constant time; an unknown user costs the same as a wrong password.
      const ok = timingSafeEqual(entry?.digest ?? sha256('\0'), sha256(password));
      return entry && ok ? { ...entry.account } : null;
    },
    findAccount(addressOrUsername) {
      const username = usernameOf(addressOrUsername.replace(/^<|>$/g, ''));
      const entry = username === null ? undefined : configs.get(username);
      return entry ? { ...entry.account } : null;
    },
    accounts() {
      return [...configs.values()].map((c) => ({ ...c.account }));
    },
    forAccount(username): AccountStore {
      const store = stores.get(username.toLowerCase());
      if (!store) throw new MailstoreError('NO_SUCH_ACCOUNT', `There is no practice account "${username}".`);
      return store;
    },
    async deliver(recipients, raw) {
      const targets = new Set<string>();
      for (const r of recipients) {
        const account = api.findAccount(r);
        if (!account) throw new MailstoreError('NO_SUCH_ACCOUNT', `${r} is not an account at @${domain}; nothing was delivered.`);
        targets.add(account.username);
      }
      await Promise.all([...targets].map((u) => api.forAccount(u).append('INBOX', raw)));
    },
    async reset() {
      await closeAll();
      await rm(mailDir, { recursive: true, force: true });
      await openAll();
    },
    async close() {
      await closeAll();
    },
  };
  return api;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
