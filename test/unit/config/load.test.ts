// bridge/config/load.ts: the whole config from flags, env and the config file, layered, and the
// options checked against each other.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAIL_PORTS } from '../../../bridge/config/defaults.ts';
import { loadConfig } from '../../../bridge/config/load.ts';
import { ConfigError } from '../../../bridge/config/types.ts';

const load = (argv: string[], env: Record<string, string> = {}, cwd = '/srv/mw') => {
  const r = loadConfig(argv, env, cwd);
  if (r.help) throw new Error('help');
  return r.config;
};
const fails = (argv: string[], env: Record<string, string> = {}) => {
  try {
    loadConfig(argv, env, '/srv/mw');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
};

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = load([]);
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 7025,
      allow: [],
      allowPrivate: false,
      dataDir: '/srv/mw/.mailwire-data',
      mailPorts: DEFAULT_MAIL_PORTS,
    });
    expect(c.practice).toMatchObject({ dataDir: '/srv/mw/.mailwire-data', domain: 'practice.test', classSize: 0 });
    expect(c.practice!.ports.smtp).toBe(10025);
  });
  it('has an unsent-bytes budget per WebSocket, 4 MiB by default, --max-unsent to change it', () => {
    expect(load([]).limits.maxUnsentBytes).toBe(4 * 1024 * 1024);
    expect(load(['--max-unsent', '65536']).limits.maxUnsentBytes).toBe(65536);
    expect(load([], { MAILWIRE_MAX_UNSENT: '1048576' }).limits.maxUnsentBytes).toBe(1048576);
    expect(fails(['--max-unsent', '1000'])).toMatch(/--max-unsent/);
  });
  it('reads flags, both --flag value and --flag=value', () => {
    const c = load([
      '--port',
      '8080',
      '--allow=smtp.gmail.com:465,[::1]:25,Mail.Example.ORG.:587',
      '--allow-private',
      '--no-practice',
      '--mail-ports',
      '25,2525',
      '--idle-timeout',
      '5000',
    ]);
    expect(c.port).toBe(8080);
    expect(c.allow).toEqual([
      { host: 'smtp.gmail.com', port: 465 },
      { host: '::1', port: 25 },
      { host: 'mail.example.org', port: 587 },
    ]);
    expect(c.allowPrivate).toBe(true);
    expect(c.practice).toBeNull();
    expect(c.mailPorts).toEqual([25, 2525]);
    expect(c.limits.idleTimeoutMs).toBe(5000);
  });
  it('practice flags build the practice config', () => {
    const c = load(['--smtp-port', '2025', '--class', '12', '--domain', 'school.test']);
    expect(c.practice).toMatchObject({
      classSize: 12,
      rosterNames: [],
      domain: 'school.test',
      hostname: 'mail.school.test',
    });
    expect(c.practice!.ports.smtp).toBe(2025);
    expect(c.practice!.ports.imap).toBe(10143);
  });
  it("--greylist-delay sets the greylisting lesson's minimum retry delay", () => {
    expect(load(['--greylist-delay', '2000']).practice!.scenarios.greylistDelayMs).toBe(2000);
    expect(load([]).practice!.scenarios.greylistDelayMs).toBeUndefined();
  });
  it('layers file < env < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-cfg-'));
    const file = join(dir, 'mw.json');
    writeFileSync(file, JSON.stringify({ port: 9000, host: '0.0.0.0', allow: ['a.example:25'], allowPrivate: true }));
    const c = load(['--config', file, '--port', '9002'], { MAILWIRE_PORT: '9001', MAILWIRE_HOST: '::1' });
    expect(c).toMatchObject({ port: 9002, host: '::1', allow: [{ host: 'a.example', port: 25 }], allowPrivate: true });
    writeFileSync(file, '{"prot": 1}');
    expect(fails(['--config', file])).toContain('Unknown key "prot"');
    writeFileSync(file, '{oops');
    expect(fails(['--config', file])).toContain('Cannot read the config file');
  });
  it('explains bad values', () => {
    expect(fails(['--port', '70000'])).toBe('--port must be a whole number from 0 to 65535 (got "70000").');
    expect(fails(['--port'])).toContain('needs a value');
    expect(fails(['--bogus'])).toContain('Unknown option --bogus');
    expect(fails(['stray'])).toContain('Unexpected argument');
    expect(fails(['--allow', 'smtp.gmail.com'])).toContain('is not HOST:PORT');
    expect(fails(['--allow', 'bad host!:25'])).toContain('not a valid host name');
    expect(fails(['--allowed-origins', 'localhost:5173'])).toContain('not an origin');
    expect(fails([], { MAILWIRE_ALLOW_PRIVATE: 'maybe' })).toContain('MAILWIRE_ALLOW_PRIVATE must be true or false');
    expect(fails(['--class', '-1'])).toContain('--class must be a whole number');
    expect(fails(['--ca', '/nonexistent/ca.pem'])).toContain('cannot read');
  });
  it('--help wins over everything else, even a bad value', () => {
    expect(loadConfig(['--port', 'x', '--help'])).toEqual({ help: true });
  });
});

describe('classroom flags', () => {
  const load = (argv: string[]) => {
    const r = loadConfig(argv, {}, '/srv/mw');
    if (r.help) throw new Error('help');
    return r.config;
  };
  const fails = (argv: string[]) => {
    try {
      loadConfig(argv, {}, '/srv/mw');
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  it('--public-url becomes an allowed origin; --trust-proxy with or without proxies; --practice-host', () => {
    const c = load([
      '--public-url',
      'https://mail.school.example/mailwire/',
      '--trust-proxy=10.0.0.5,10.0.0.6',
      '--practice-host',
      '0.0.0.0',
    ]);
    expect(c.publicUrl).toBe('https://mail.school.example');
    expect(c.allowedOrigins).toEqual(['https://mail.school.example']);
    expect(c.trustProxy).toEqual(['10.0.0.5', '10.0.0.6']);
    expect(c.practice!.host).toBe('0.0.0.0');
    expect(load(['--trust-proxy']).trustProxy).toEqual([]);
    expect(load([]).trustProxy).toBeNull();
    expect(load([]).practice!.host).toBe('127.0.0.1');
  });
  it('refuses bad values with a sentence that says what to do', () => {
    expect(fails(['--public-url', 'mail.school'])).toContain('is not a URL such as https://mail.school.example');
    expect(fails(['--public-url', 'ftp://x.example'])).toContain('http: or https:');
    expect(fails(['--trust-proxy=proxy.school'])).toContain('is not a proxy IP address');
    expect(fails(['--practice-host', 'every-where'])).toContain('is not an IP address to listen on');
    expect(fails(['--roster', '/nonexistent/names.csv'])).toContain('cannot read /nonexistent/names.csv');
    expect(fails(['--class', '3', '--no-practice'])).toContain('needs the practice server');
    expect(fails(['--class-password', 'x'])).toContain('every student now gets their own password');
  });
  it('--roster reads names from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-roster-'));
    writeFileSync(join(dir, 'names.csv'), 'name,group\nAda Lovelace,A\n"Hopper, Grace",B\n');
    expect(load(['--roster', join(dir, 'names.csv')]).practice!.rosterNames).toEqual(['Ada Lovelace', 'Hopper, Grace']);
    writeFileSync(join(dir, 'empty.csv'), 'name\n');
    expect(fails(['--roster', join(dir, 'empty.csv')])).toContain('names no students');
  });
});
