// bridge/config/file.ts: the config file, the roster and the CA file, read from a real directory.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile, readExtraCa, readRoster } from '../../../bridge/config/file.ts';
import { ConfigError, type Raw } from '../../../bridge/config/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'mw-cfg-file-'));
const fails = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('the files options name', () => {
  it('a config file: option names or their camelCase, each value marked with its key and file', () => {
    const file = join(dir, 'mw.json');
    writeFileSync(file, JSON.stringify({ port: 9000, allowPrivate: true }));
    const raw: Raw = new Map();
    readConfigFile(file, raw);
    expect(raw.get('port')).toEqual({ value: 9000, from: `"port" in ${file}` });
    expect(raw.get('allow-private')).toEqual({ value: true, from: `"allowPrivate" in ${file}` });
    writeFileSync(file, '[1]');
    expect(fails(() => readConfigFile(file, new Map()))).toContain('must hold a JSON object');
    writeFileSync(file, '{"help": true}');
    expect(fails(() => readConfigFile(file, new Map()))).toContain('Unknown key "help"');
    expect(fails(() => readConfigFile(join(dir, 'none.json'), new Map()))).toContain('it does not exist');
  });
  it('a roster of 1 to 500 names', () => {
    writeFileSync(join(dir, 'many.csv'), Array.from({ length: 501 }, (_, i) => `s${i}`).join('\n'));
    expect(fails(() => readRoster('many.csv', '--roster', dir))).toContain('names 501 students; at most 500');
    writeFileSync(join(dir, 'two.csv'), 'Ada\nGrace\n');
    expect(readRoster('two.csv', '--roster', dir)).toEqual(['Ada', 'Grace']);
  });
  it('a CA file must hold a PEM certificate', () => {
    writeFileSync(join(dir, 'ca.pem'), 'not a certificate');
    expect(fails(() => readExtraCa('ca.pem', '--ca', dir))).toContain('holds no PEM certificate');
    expect(fails(() => readExtraCa('missing.pem', '--ca', dir))).toContain('(ENOENT)');
  });
});
