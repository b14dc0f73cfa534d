// Where an account's own files live, and the one-way move of a data dir written before issue 11.
//
//   mail/<username>/@mailwire/account.json   subscriptions, last UIDVALIDITY (this module)
//   mail/<username>/<encoded name>/          one Maildir per mailbox: tmp/ new/ cur/ mailwire.jsonl
//
// Before, account.json and its temp file `.account.json.tmp` sat beside the mailbox directories, so
// `CREATE .account.json.tmp` made a directory where the store writes its temp file: every later
// save failed (EISDIR), restarts included. Migration moves account.json into @mailwire/. Each step
// is a single rename or an idempotent removal, so a crash at any point leaves a directory that
// the next start migrates the rest of; mailbox directories are never touched.
import { lstat, mkdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, writeDurably } from './fsutil.ts';
import { STORE_DIR } from './names.ts';

export const ACCOUNT_FILE = 'account.json';
/** The files of the old layout, beside the mailboxes. As directories they are mailboxes now. */
const LEGACY_FILE = 'account.json';
const LEGACY_TMP = '.account.json.tmp';

export interface AccountFile {
  subscriptions: string[];
  lastUidValidity: number;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await lstat(p)).isFile();
  } catch {
    return false;
  }
}

async function parse(p: string): Promise<Partial<AccountFile> | null> {
  try {
    const value = JSON.parse(await readFile(p, 'utf8')) as Partial<AccountFile>;
    return value && typeof value === 'object' ? value : null;
  } catch {
    return null; // missing or torn: the caller falls back
  }
}

/** The account file, or {} on first start (the mailboxes' own UIDVALIDITY keeps UIDs safe). */
export async function readAccountFile(accountDir: string): Promise<Partial<AccountFile>> {
  const file = await parse(path.join(accountDir, STORE_DIR, ACCOUNT_FILE));
  if (!file) return {};
  const out: Partial<AccountFile> = {};
  if (Array.isArray(file.subscriptions)) out.subscriptions = file.subscriptions.filter((s) => typeof s === 'string');
  if (typeof file.lastUidValidity === 'number' && Number.isFinite(file.lastUidValidity))
    out.lastUidValidity = file.lastUidValidity;
  return out;
}

/**
 * Brings an account directory to the current layout; returns true if it moved anything. Safe to
 * run at every start and after a crash at any point of a previous run.
 */
export async function migrateAccountDir(accountDir: string): Promise<boolean> {
  const storeDir = path.join(accountDir, STORE_DIR);
  await mkdir(storeDir, { recursive: true });
  const legacy = path.join(accountDir, LEGACY_FILE);
  const current = path.join(storeDir, ACCOUNT_FILE);
  let changed = false;
  if (await isFile(legacy)) {
    if (!(await isFile(current))) {
      // The common case: one atomic rename. A crash before it leaves the old layout, after it the new.
      await rename(legacy, current);
    } else {
      // Both exist (an older mailwire ran on this dir after a newer one): keep the larger
      // UIDVALIDITY, so a re-created mailbox never reuses one (RFC 3501 2.3.1.1), and the
      // subscriptions of the file written last. Written durably before the old one goes.
      const [old, now] = await Promise.all([parse(legacy), parse(current)]);
      const [oldTime, nowTime] = await Promise.all([lstat(legacy), lstat(current)]).then((s) =>
        s.map((x) => x.mtimeMs),
      );
      const newer = oldTime > nowTime ? old : now;
      const merged: AccountFile = {
        subscriptions: (newer?.subscriptions ?? now?.subscriptions ?? old?.subscriptions ?? []) as string[],
        lastUidValidity: Math.max(Number(old?.lastUidValidity) || 0, Number(now?.lastUidValidity) || 0),
      };
      await writeDurably(`${current}.tmp`, current, JSON.stringify(merged));
      await unlink(legacy);
    }
    changed = true;
  }
  // A temp file left by a crash mid-save in the old layout; a directory of that name is a mailbox.
  const tmp = path.join(accountDir, LEGACY_TMP);
  if (await isFile(tmp)) {
    await unlink(tmp);
    changed = true;
  }
  if (changed) {
    await fsyncDir(storeDir);
    await fsyncDir(accountDir);
  }
  return changed;
}
