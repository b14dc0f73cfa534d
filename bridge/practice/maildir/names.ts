// Which mailbox names the store can hold, and the directory each one gets. A name must make the
// same directory on Linux, macOS and Windows (a data dir is copied between a teacher's machines),
// so names those file systems would refuse, alter or merge are refused up front, with a sentence
// that says what to type instead (IMAP answers NO [CANNOT], RFC 5530 section 3).
import { MailstoreError } from '../mailstore-types.ts';

export const MAX_NAME = 200;
/** Longest file name component on ext4, APFS and NTFS (NAME_MAX). */
export const NAME_MAX = 255;

/**
 * mailwire's own files for an account live in this directory beside the mailbox directories.
 * encodeURIComponent always writes "@" as %40, so no mailbox directory can ever have this name.
 */
export const STORE_DIR = '@mailwire';

// CON, PRN, AUX, NUL, COM1-9, LPT1-9 (and with any extension) name devices on Windows.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

function refuse(name: string, why: string): never {
  throw new MailstoreError('BAD_NAME', `"${name.slice(0, 60)}" ${why}`);
}

/** Mailbox names as a learner may type them: no wildcards, no empty or dot segments (RFC 3501 5.1). */
export function checkMailboxName(name: string): string {
  if (/^inbox$/i.test(name)) return 'INBOX';
  const bad =
    !name ||
    name.length > MAX_NAME ||
    /[\x00-\x1f\x7f-\x9f*%]/.test(name) || // C0 and C1 controls, and the LIST wildcards
    /\p{Cs}/u.test(name) || // a lone UTF-16 surrogate names no character
    name.split('/').some((seg) => seg === '' || seg === '.' || seg === '..');
  if (bad) {
    refuse(
      name,
      `is not a usable mailbox name: use 1-${MAX_NAME} characters without * % or control characters, and "/" only between non-empty parts.`,
    );
  }
  for (const seg of name.split('/')) {
    // Windows drops a trailing dot or space: "Notes." and "Notes" would be one folder there.
    if (/[. ]$/.test(seg))
      refuse(
        name,
        `cannot be stored: "${seg.slice(0, 40)}" ends in a dot or a space, which Windows removes. Leave it off.`,
      );
    if (WINDOWS_DEVICE.test(seg)) {
      refuse(
        name,
        `cannot be stored: "${seg.slice(0, 40)}" is a device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9). Add a letter, e.g. "${seg.slice(0, 40)}-mail".`,
      );
    }
  }
  // The directory name is the percent-encoded UTF-8 of the whole name: up to 12 bytes for one
  // character, and file systems allow 255 (NAME_MAX). Refuse before the file system does.
  const onDisk = mailboxDirName(name).length;
  if (onDisk > NAME_MAX) {
    refuse(
      name,
      `is too long to store: it needs ${onDisk} bytes on disk and at most ${NAME_MAX} fit (a non-ASCII character takes 6 to 12). Use a shorter name.`,
    );
  }
  return name;
}

/**
 * Refuses `name` when its directory differs from an existing one's only in letter case: macOS and
 * Windows see one folder there, so the two mailboxes would share their messages.
 */
export function checkNoCaseTwin(
  name: string,
  existing: Iterable<string>,
  except: (n: string) => boolean = () => false,
): void {
  const dir = mailboxDirName(name).toLowerCase();
  for (const other of existing) {
    if (other !== name && !except(other) && mailboxDirName(other).toLowerCase() === dir) {
      // "inbox" alone means INBOX (RFC 3501 5.1); as a superior it would be a second folder.
      if (other === 'INBOX')
        refuse(
          name,
          'would be a second folder beside INBOX on macOS and Windows: write INBOX in capitals, e.g. "INBOX/Projects".',
        );
      refuse(
        name,
        `cannot be stored beside "${other.slice(0, 60)}": the names differ only in letter case, and macOS and Windows keep both in one folder. Pick another name.`,
      );
    }
  }
}

/**
 * The directory of a mailbox: its name percent-encoded (encodeURIComponent), so "/" and non-ASCII
 * never reach the file system as such: no hierarchy clash with tmp/new/cur, no Unicode
 * normalisation by the file system, and the same bytes on every platform.
 */
export function mailboxDirName(name: string): string {
  return encodeURIComponent(name);
}

/** The mailbox a directory holds, or null for anything the encoding cannot have written. */
export function mailboxOfDir(dir: string): string | null {
  let name: string;
  try {
    name = decodeURIComponent(dir);
  } catch {
    return null;
  }
  return mailboxDirName(name) === dir ? name : null;
}
