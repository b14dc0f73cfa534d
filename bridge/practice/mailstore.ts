// The practice mailstore: one Maildir tree for SMTP delivery, IMAP and POP3, under
// `${dataDir}/mail/<username>/<mailbox>/{tmp,new,cur}`, the account's own files in
// `${dataDir}/mail/<username>/@mailwire/` (maildir/layout.ts). Every write is durable before it resolves.
import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_MAILBOXES, MaildirAccount } from './maildir/account.ts';
import { STORE_DIR } from './maildir/names.ts';
import { welcomeMessage } from './maildir/welcome.ts';
import {
  MailstoreError,
  type Account,
  type AccountConfig,
  type AccountEvent,
  type AccountStore,
  type MailstoreApi,
} from './mailstore-types.ts';
import { DEFAULT_LIMITS } from './types.ts';

export interface MailstoreOptions {
  dataDir: string;
  domain: string;
  accounts: AccountConfig[];
  /** maxMessageSize: octets per message; quota: octets per account over all mailboxes (0: none). */
  limits?: { maxMessageSize?: number; quota?: number };
}

/** What one reset removed, per account (the fresh welcome message is not counted). */
export interface ResetReport {
  accounts: Array<{ username: string; address: string; messages: number; mailboxes: string[] }>;
  /** Messages removed over all accounts. */
  messages: number;
}

/** The store as openMailstore returns it: a reset that also says what it removed. */
export interface PracticeMailstore extends MailstoreApi {
  /** Every account, or only `username` (a teacher's per-student reset); other accounts are untouched. */
  resetAndReport(username?: string): Promise<ResetReport>;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Kept by a reset: its account.json remembers the last UIDVALIDITY handed out (see reset below). */
const ACCOUNT_FILES = STORE_DIR;

export async function openMailstore(opts: MailstoreOptions): Promise<PracticeMailstore> {
  const domain = opts.domain.toLowerCase();
  const mailDir = path.join(opts.dataDir, 'mail');
  const maxMessageSize = opts.limits?.maxMessageSize ?? DEFAULT_LIMITS.maxMessageSize;
  const quota = opts.limits?.quota ?? DEFAULT_LIMITS.quota;
  const configs = new Map<string, { account: Account; digest: Buffer }>();
  for (const a of opts.accounts) {
    const username = a.username.toLowerCase();
    if (!USERNAME.test(username)) {
      throw new Error(
        `The account name "${a.username}" is not usable: use 1-64 of a-z 0-9 . _ - starting with a letter or digit.`,
      );
    }
    configs.set(username, { account: { username, address: `${username}@${domain}` }, digest: sha256(a.password) });
  }

  let stores = new Map<string, MaildirAccount>();
  // Listeners of each account's events (AccountStore.subscribe), kept here so they stay
  // subscribed when a reset replaces the account's store. Keyed by account: no crossing over.
  const accountListeners = new Map<string, Set<(event: AccountEvent) => void>>();
  function tell(username: string, event: AccountEvent): void {
    for (const listener of [...(accountListeners.get(username) ?? [])]) {
      try {
        listener(event);
      } catch {
        // one session's bug must not stop the others hearing about the change
      }
    }
  }
  async function openAccount(username: string): Promise<MaildirAccount> {
    const { account } = configs.get(username)!;
    const store = await MaildirAccount.open(account, path.join(mailDir, username), { maxMessageSize, quota }, () =>
      welcomeMessage(username, domain),
    );
    store.subscribe((event) => tell(username, event));
    return store;
  }
  /** After a reset: every mailbox of the account is a new one under its old name. */
  function recreated(username: string): void {
    for (const name of stores.get(username)?.listMailboxes() ?? []) tell(username, { kind: 'recreated', name });
  }
  async function openAll(): Promise<void> {
    await mkdir(mailDir, { recursive: true });
    const next = new Map<string, MaildirAccount>();
    for (const username of configs.keys()) next.set(username, await openAccount(username));
    stores = next;
  }
  async function closeAll(reason: 'reset' | 'shutdown'): Promise<void> {
    for (const s of stores.values()) await s.close(reason);
  }
  async function reopen(username: string): Promise<void> {
    stores.set(username, await openAccount(username));
  }
  await openAll();

  // Writes wait while a reset runs, and a reset waits for the writes already under way, so no
  // write lands in a mailbox that is being removed (a delivery is either removed or kept whole).
  let resetting: Promise<unknown> | null = null;
  let inFlight = 0;
  let drained: (() => void) | null = null;
  async function guarded<T>(op: () => Promise<T>): Promise<T> {
    while (resetting) await resetting.catch(() => undefined);
    inFlight++;
    try {
      return await op();
    } finally {
      if (--inFlight === 0) drained?.();
    }
  }

  // Reads cannot be guarded the same way (they are synchronous), so callers ask first: null when
  // no reset is under way, else a promise that resolves once none is (a queued one included).
  function resetInProgress(): Promise<void> | null {
    if (!resetting) return null;
    return (async () => {
      while (resetting) await resetting.catch(() => undefined);
    })();
  }

  function current(username: string): MaildirAccount {
    const store = stores.get(username.toLowerCase());
    if (!store) throw new MailstoreError('NO_SUCH_ACCOUNT', `There is no practice account "${username}".`);
    return store;
  }

  // Sessions keep the AccountStore they got at login; this view follows the account across a reset.
  const views = new Map<string, AccountStore>();
  function view(username: string): AccountStore {
    const u = username.toLowerCase();
    current(u); // unknown accounts fail here, not on first use
    let v = views.get(u);
    if (!v) {
      v = {
        get account() {
          return current(u).account;
        },
        resetting: resetInProgress,
        listMailboxes: () => current(u).listMailboxes(),
        subscriptions: () => current(u).subscriptions(),
        mailbox: (name) => current(u).mailbox(name),
        setSubscribed: (name, on) => guarded(() => current(u).setSubscribed(name, on)),
        createMailbox: (name) => guarded(() => current(u).createMailbox(name)),
        deleteMailbox: (name) => guarded(() => current(u).deleteMailbox(name)),
        renameMailbox: (from, to) => guarded(() => current(u).renameMailbox(from, to)),
        append: (name, raw, options) => guarded(() => current(u).append(name, raw, options)),
        copy: (from, uids, to, options) => guarded(() => current(u).copy(from, uids, to, options)),
        quota: () => current(u).quota(),
        subscribe: (listener) => {
          let set = accountListeners.get(u);
          if (!set) accountListeners.set(u, (set = new Set()));
          set.add(listener);
          return () => set.delete(listener);
        },
      };
      views.set(u, v);
    }
    return v;
  }

  function usernameOf(login: string): string | null {
    const lower = login.trim().toLowerCase();
    const at = lower.lastIndexOf('@');
    if (at === -1) return lower;
    return lower.slice(at + 1) === domain ? lower.slice(0, at) : null;
  }

  async function resetNow(only?: string): Promise<ResetReport> {
    if (inFlight > 0) await new Promise<void>((done) => (drained = done));
    drained = null;
    const report: ResetReport = { accounts: [], messages: 0 };
    for (const [username, store] of stores) {
      if (only !== undefined && username !== only) continue;
      let messages = 0;
      for (const name of store.listMailboxes()) {
        const box = store.mailbox(name);
        const uids = box ? box.messages().map((m) => m.uid) : [];
        messages += uids.length;
        // Through the normal expunge, so sessions with this mailbox selected get EXPUNGE
        // responses (RFC 3501 section 7.4.1) and POP3 sessions read "removed" instead of stale data.
        if (box && uids.length) await box.expunge(uids);
      }
      const mailboxes = store.listMailboxes().filter((n) => !DEFAULT_MAILBOXES.includes(n));
      report.accounts.push({ username, address: store.account.address, messages, mailboxes });
      report.messages += messages;
    }
    if (only !== undefined) {
      // One account: the same steps as below, for its directory alone.
      await stores.get(only)!.close('reset');
      try {
        const dir = path.join(mailDir, only);
        for (const inner of await readdir(dir)) {
          if (inner !== ACCOUNT_FILES) await rm(path.join(dir, inner), { recursive: true, force: true });
        }
      } finally {
        await reopen(only);
      }
      recreated(only);
      return report;
    }
    // Sessions that had a mailbox selected hear it close and are pointed to its successor.
    await closeAll('reset');
    try {
      // Everything goes but @mailwire/account.json, whose last UIDVALIDITY makes every re-created mailbox's
      // UIDVALIDITY larger than before, as UIDs restart at 1 (RFC 3501 section 2.3.1.1).
      await mkdir(mailDir, { recursive: true });
      for (const entry of await readdir(mailDir, { withFileTypes: true })) {
        const dir = path.join(mailDir, entry.name);
        if (!entry.isDirectory() || !configs.has(entry.name)) {
          await rm(dir, { recursive: true, force: true }); // an account no longer configured
          continue;
        }
        for (const inner of await readdir(dir)) {
          if (inner !== ACCOUNT_FILES) await rm(path.join(dir, inner), { recursive: true, force: true });
        }
      }
    } finally {
      await openAll(); // even after a failed removal: the store must stay usable
    }
    for (const username of configs.keys()) recreated(username);
    return report;
  }

  const api: PracticeMailstore = {
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
      return view(username);
    },
    async deliver(recipients, raw, copyFor) {
      // One copy per account (two addresses of one account get one copy, for the first address).
      const targets = new Map<string, string>();
      for (const r of recipients) {
        const account = api.findAccount(r);
        if (!account)
          throw new MailstoreError('NO_SUCH_ACCOUNT', `${r} is not an account at @${domain}; nothing was delivered.`);
        if (!targets.has(account.username)) targets.set(account.username, r);
      }
      await guarded(async () => {
        // Every recipient's room is promised before the first write, so a full one stores nothing
        // anywhere: SMTP has one reply to DATA for all recipients (RFC 5321 section 4.2.5).
        const copies = [...targets].map(([username, r]) => ({ a: current(username), raw: copyFor ? copyFor(r) : raw }));
        const releases: Array<() => void> = [];
        try {
          for (const c of copies) c.a.checkSize(c.raw);
          for (const c of copies) releases.push(c.a.reserve(c.raw.length));
          await Promise.all(copies.map((c) => c.a.append('INBOX', c.raw, {}, true)));
        } finally {
          for (const release of releases) release();
        }
      });
    },
    async reset() {
      await api.resetAndReport();
    },
    /** Empties every mailbox of every account and restores the defaults and welcome messages. */
    resetAndReport(username) {
      const only = username?.toLowerCase();
      if (only !== undefined && !configs.has(only)) {
        return Promise.reject(new MailstoreError('NO_SUCH_ACCOUNT', `There is no practice account "${username}".`));
      }
      // One reset at a time; a second one waits and then runs on the fresh store.
      const previous = resetting ?? Promise.resolve();
      const run = previous.catch(() => undefined).then(() => resetNow(only));
      const mine: Promise<unknown> = run.finally(() => {
        if (resetting === mine) resetting = null;
      });
      resetting = mine;
      return run;
    },
    async close() {
      while (resetting) await resetting.catch(() => undefined);
      await closeAll('shutdown');
      stores = new Map();
    },
  };
  return api;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
