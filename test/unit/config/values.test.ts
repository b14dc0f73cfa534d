// bridge/config/values.ts: one option value at a time, each refusal a ConfigError naming where the
// value came from.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../bridge/config/types.ts';
import {
  parseBool,
  parseInteger,
  parseList,
  parseListenHost,
  parseOrigin,
  parsePublicUrl,
  parseRetrySchedule,
  parseSize,
  parseTarget,
  parseTrustProxy,
} from '../../../bridge/config/values.ts';

const fails = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('option values', () => {
  it('booleans and bounded whole numbers', () => {
    expect([true, 'yes', 'ON', '1'].map((v) => parseBool(v, 'x'))).toEqual([true, true, true, true]);
    expect([false, 'no', 'off', '0', ''].map((v) => parseBool(v, 'x'))).toEqual([false, false, false, false, false]);
    expect(fails(() => parseBool('maybe', 'MAILWIRE_QUIET'))).toBe(
      'MAILWIRE_QUIET must be true or false (got "maybe").',
    );
    expect(parseInteger(' 25 ', '--port', 0, 65535)).toBe(25);
    expect(parseInteger(25, '--port', 0, 65535)).toBe(25);
    expect(fails(() => parseInteger('2.5', '--port', 0, 65535))).toContain('whole number from 0 to 65535');
    expect(fails(() => parseInteger(70000, '--port', 0, 65535))).toContain('(got 70000)');
  });
  it('sizes count in 1024s (RFC 9208 quotas are in units of 1024 octets)', () => {
    expect(parseSize('50MB', '--quota')).toBe(50 * 1024 * 1024);
    expect(parseSize('512 kb', '--quota')).toBe(512 * 1024);
    expect(parseSize('1GiB', '--quota')).toBe(1024 ** 3);
    expect(parseSize(0, '--quota')).toBe(0);
    expect(fails(() => parseSize('lots', '--quota'))).toContain('a size such as 50MB');
    expect(fails(() => parseSize('2000G', '--quota'))).toContain('--quota');
  });
  it('lists, targets and origins', () => {
    expect(parseList(' a, ,b ')).toEqual(['a', 'b']);
    expect(parseList(['a', 7])).toEqual(['a', '7']);
    expect(parseTarget('Mail.Example.ORG.:587', '--allow')).toEqual({ host: 'mail.example.org', port: 587 });
    expect(parseTarget('[::1]:25', '--allow')).toEqual({ host: '::1', port: 25 });
    expect(fails(() => parseTarget('::1:25', '--allow'))).toContain('is not HOST:PORT');
    expect(fails(() => parseTarget('a.example:0', '--allow'))).toContain('port of a.example:0');
    expect(parseOrigin('http://localhost:5173/', '--allowed-origins')).toBe('http://localhost:5173');
    expect(fails(() => parseOrigin('http://localhost:5173/app', '--allowed-origins'))).toContain('nothing after it');
  });
  it('addresses, the public URL, the retry schedule and the trusted proxies', () => {
    expect(parseListenHost('[::]', '--practice-host')).toBe('::');
    expect(fails(() => parseListenHost('  ', '--practice-host'))).toBe('--practice-host must not be empty.');
    expect(parsePublicUrl('https://mail.school.example/mw/', '--public-url')).toBe('https://mail.school.example');
    expect(fails(() => parsePublicUrl('', '--public-url'))).toContain('is not a URL');
    expect(parseRetrySchedule('5,10', '--retry-schedule')).toEqual([5, 10]);
    expect(fails(() => parseRetrySchedule(',', '--retry-schedule'))).toContain('give 1 to 20 delays');
    expect(parseTrustProxy(true, '--trust-proxy')).toEqual([]);
    expect(parseTrustProxy('off', '--trust-proxy')).toBeNull();
    expect(parseTrustProxy('10.0.0.5,FE80::1', '--trust-proxy')).toEqual(['10.0.0.5', 'fe80::1']);
  });
});
