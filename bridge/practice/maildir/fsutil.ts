// Durable file primitives for the Maildir store: every write lands in tmp/, is fsynced, renamed
// into place, and the directory is fsynced so the rename itself survives a power cut or kill -9.
import { randomBytes } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

let counter = 0;
// Kept short and printable: the name doubles as the POP3 UIDL (RFC 1939 7: 1-70 chars 0x21-0x7E).
const host =
  hostname()
    .replace(/[^A-Za-z0-9-]/g, '_')
    .slice(0, 16) || 'localhost';

/** A Maildir unique name (time, pid, counter, random, host): also serves as the POP3 UIDL. */
export function uniqueName(): string {
  const now = Date.now();
  counter = (counter + 1) % 1e9;
  return `${Math.floor(now / 1000)}.M${(now % 1000) * 1000}P${process.pid}Q${counter}R${randomBytes(4).toString('hex')}.${host}`;
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to `tmpPath`, fsyncs it, renames it to `finalPath` and fsyncs the target directory. */
export async function writeDurably(tmpPath: string, finalPath: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(tmpPath, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmpPath, finalPath);
  await fsyncDir(path.dirname(finalPath));
}
