// The class roster: one practice account per student, each with its own password, kept in
// DATA_DIR/class/roster.csv (account,name,password) so a restart hands out the same passwords.
// Starting again with a larger --class or a longer --roster file appends students; existing rows
// (and so their mailboxes, which live under the account name) are never renamed or dropped.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileDurably } from './durable.ts';
import { formatCsv, parseCsv } from './csv.ts';
import { newClassPassword } from './passwords.ts';

export interface RosterEntry {
  account: string; // student01, or "teacher"
  name: string; // as the teacher typed it; the account name when none was given
  password: string;
}

export interface Roster {
  /** Students in roster order: the order partners are assigned in. */
  students: RosterEntry[];
  teacher: RosterEntry;
  /** DATA_DIR/class/roster.csv */
  file: string;
  /** Students added by this start (new rows in the file). */
  added: number;
}

export const TEACHER_ACCOUNT = 'teacher';
/** The robot that answers every message (bridge/classroom/echo.ts); not on the roster. */
export const ECHO_ACCOUNT = 'echo';
const RESERVED = new Set([TEACHER_ACCOUNT, ECHO_ACCOUNT, 'postmaster']);
const HEADER = ['account', 'name', 'password'];

export class RosterError extends Error {
  override name = 'RosterError';
}

export function rosterFile(dataDir: string): string {
  return path.join(dataDir, 'class', 'roster.csv');
}

/** Names from a teacher's file: one per line, or a CSV whose `name` column (else first column) holds them. */
export function namesFromCsv(text: string): string[] {
  const rows = parseCsv(text);
  if (rows.length === 0) return [];
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const col = header.indexOf('name');
  const body = col >= 0 ? rows.slice(1) : rows;
  return body.map((r) => (r[Math.max(col, 0)] ?? '').trim()).filter((n) => n !== '');
}

/**
 * Reads the kept roster, adds what the flags ask for that it lacks, writes it back when it changed.
 * `size`: at least this many students; `names`: these students (matched by name) must be on it.
 */
export async function openRoster(
  dataDir: string,
  want: { size: number; names: string[] },
  makePassword = newClassPassword,
): Promise<Roster> {
  const file = rosterFile(dataDir);
  let text: string | null = null;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new RosterError(`Cannot read the roster ${file}: ${(e as Error).message}.`);
  }
  const students: RosterEntry[] = [];
  let teacher: RosterEntry | null = null;
  if (text !== null) {
    const rows = parseCsv(text);
    const header = rows[0]?.map((h) => h.trim().toLowerCase());
    if (!header || HEADER.some((h, i) => header[i] !== h)) {
      throw new RosterError(
        `${file} must start with the line "account,name,password"; fix it or move it away to start a new roster.`,
      );
    }
    const seen = new Set<string>();
    for (const [i, r] of rows.slice(1).entries()) {
      const [account = '', name = '', password = ''] = r.map((f) => f.trim());
      const acc = account.toLowerCase();
      if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(acc) || !password) {
        throw new RosterError(
          `${file} line ${i + 2}: an account (a-z 0-9 . _ -) and a password are needed; fix the line.`,
        );
      }
      if (seen.has(acc))
        throw new RosterError(`${file} line ${i + 2}: the account ${acc} is listed twice; keep one line.`);
      if (acc === ECHO_ACCOUNT || acc === 'postmaster')
        throw new RosterError(`${file} line ${i + 2}: ${acc} is reserved; rename it.`);
      seen.add(acc);
      const entry = { account: acc, name: name || acc, password };
      if (acc === TEACHER_ACCOUNT) teacher = entry;
      else students.push(entry);
    }
  }
  const before = students.length;
  let changed = text === null || teacher === null;
  teacher ??= { account: TEACHER_ACCOUNT, name: 'Teacher', password: makePassword() };

  const taken = new Set([...students.map((s) => s.account), ...RESERVED]);
  // Two students may share a name: the k-th "Sam" in the file is the k-th "Sam" on the roster.
  const have = new Map<string, number>();
  for (const s of students) have.set(s.name, (have.get(s.name) ?? 0) + 1);
  const seenName = new Map<string, number>();
  const missing = want.names.filter((n) => {
    const k = (seenName.get(n) ?? 0) + 1;
    seenName.set(n, k);
    return k > (have.get(n) ?? 0);
  });
  const total = Math.max(want.size, students.length + missing.length);
  const width = Math.max(2, String(total).length);
  let next = 1;
  const freshAccount = () => {
    let account: string;
    do account = `student${String(next++).padStart(width, '0')}`;
    while (taken.has(account));
    taken.add(account);
    return account;
  };
  for (const name of missing) {
    const account = freshAccount();
    students.push({ account, name, password: makePassword() });
  }
  while (students.length < want.size) {
    const account = freshAccount();
    students.push({ account, name: account, password: makePassword() });
  }
  if (students.length !== before) changed = true;
  if (changed) {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const rows = [
      HEADER,
      [teacher.account, teacher.name, teacher.password],
      ...students.map((s) => [s.account, s.name, s.password]),
    ];
    await writeFileDurably(file, formatCsv(rows));
  }
  return { students, teacher, file, added: students.length - before };
}

/** Each student writes to the next one on the roster (the last to the first); alone, to the robot. */
export function partnerOf(roster: Pick<Roster, 'students'>, account: string): string {
  const i = roster.students.findIndex((s) => s.account === account);
  if (i === -1 || roster.students.length < 2) return ECHO_ACCOUNT;
  return roster.students[(i + 1) % roster.students.length]!.account;
}
