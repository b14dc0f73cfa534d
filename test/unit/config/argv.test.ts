// bridge/config/argv.ts: the command line read into raw values, before any parsing.
import { describe, expect, it } from 'vitest';
import { parseArgv } from '../../../bridge/config/argv.ts';
import { ConfigError, type Raw } from '../../../bridge/config/types.ts';

const read = (argv: string[]) => {
  const raw: Raw = new Map();
  parseArgv(argv, raw);
  return Object.fromEntries([...raw].map(([k, v]) => [k, v.value]));
};
const fails = (argv: string[]) => {
  try {
    read(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
};

describe('parseArgv', () => {
  it('reads --flag VALUE, --flag=VALUE and bare booleans, keeping the values raw', () => {
    expect(read(['--port', '8080', '--host=::1', '--allow-private', '--quiet=no'])).toEqual({
      port: '8080',
      host: '::1',
      'allow-private': true,
      quiet: 'no',
    });
  });
  it('refuses what is not an option, and an option left without its value', () => {
    expect(fails(['stray'])).toContain('Unexpected argument "stray"');
    expect(fails(['--bogus'])).toBe('Unknown option --bogus. Run with --help to list the options.');
    expect(fails(['--port'])).toContain('Option --port needs a value');
    expect(fails(['--port', '--host', 'x'])).toContain('Option --port needs a value');
  });
});
