// The files the options name: the JSON config file (--config), the class roster (--roster, a CSV)
// and extra CA certificates (--ca, PEM). Each read failure is a ConfigError naming the file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { namesFromCsv } from '../classroom/roster.ts';
import { SPEC } from './options.ts';
import { ConfigError, type Raw } from './types.ts';
import { parseNonEmpty } from './values.ts';

/** Reads a JSON object whose keys are option names (or their camelCase) into `raw`. */
export function readConfigFile(path: string, raw: Raw): void {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (e as Error).message;
    throw new ConfigError(`Cannot read the config file ${path}: ${why}.`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(`The config file ${path} must hold a JSON object such as {"port": 8080}.`);
  }
  for (const [key, value] of Object.entries(data)) {
    const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`); // accept camelCase too
    if (!SPEC.has(flag) || flag === 'config' || flag === 'help') {
      throw new ConfigError(`Unknown key "${key}" in ${path}. The keys are the option names from --help.`);
    }
    raw.set(flag, { value, from: `"${key}" in ${path}` });
  }
}

/** --roster: the student names of a CSV file (one per line, or a "name" column), 1 to 500 of them. */
export function readRoster(v: unknown, from: string, cwd: string): string[] {
  const path = resolve(cwd, parseNonEmpty(v, from));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${from}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const names = namesFromCsv(text);
  if (names.length === 0)
    throw new ConfigError(`${from}: ${path} names no students (one name per line, or a "name" column).`);
  if (names.length > 500) throw new ConfigError(`${from}: ${path} names ${names.length} students; at most 500.`);
  return names;
}

/** --ca: a PEM file holding at least one certificate. */
export function readExtraCa(v: unknown, from: string, cwd: string): string {
  const path = resolve(cwd, parseNonEmpty(v, from));
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${from}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError(`${from}: ${path} holds no PEM certificate.`);
  return pem;
}
