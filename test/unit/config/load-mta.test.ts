// bridge/config/load.ts: the practice MTA (faraway.test and the queue) is on in `npm start`, with ports
// that cannot clash with the practice server's, on a specific address or the wildcard.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bridge/config/load.ts';
import { ConfigError } from '../../../bridge/config/types.ts';

const load = (argv: string[]) => {
  const r = loadConfig(argv, {}, '/srv/mw');
  if (r.help) throw new Error('help');
  return r.config;
};

describe('the relay in loadConfig', () => {
  it('is on by default: faraway.test, greylist.test and outage.test on 127.0.1.x with the smtp and imaps port numbers, retries 5,10,20,40 s', () => {
    const relay = load([]).practice!.relay!;
    expect(relay.retrySeconds).toEqual([5, 10, 20, 40]);
    expect(relay.domains).toHaveLength(3);
    expect(relay.domains[0]).toMatchObject({
      domain: 'faraway.test',
      addresses: ['127.0.1.1', '127.0.1.2'],
      smtpPort: 10025,
      imapsPort: 10993,
    });
    expect(relay.domains[0]!.greylistDelayMs).toBeUndefined();
    // Its greylist lets a retry through before the MTA's first retry comes (5 s): 2.5 s.
    expect(relay.domains[1]).toMatchObject({
      domain: 'greylist.test',
      addresses: ['127.0.1.3'],
      smtpPort: 10025,
      imapsPort: 10993,
      greylistDelayMs: 2500,
    });
    expect(load(['--retry-schedule', '1,2']).practice!.relay!.domains[1]!.greylistDelayMs).toBe(500);
    // outage.test: one MX on its own address, up at start, account erin.
    expect(relay.domains[2]).toMatchObject({
      domain: 'outage.test',
      hostname: 'mx.outage.test',
      addresses: ['127.0.1.4'],
      accounts: [{ username: 'erin', password: 'practice' }],
      smtpPort: 10025,
      imapsPort: 10993,
    });
    expect(relay.domains[2]!.greylistDelayMs).toBeUndefined();
  });

  it('follows the practice ports: ephemeral (0) in tests stays ephemeral, so parallel runs never clash', () => {
    const d = load(['--smtp-port', '0', '--imaps-port', '0', '--dns-port', '0']).practice!.relay!.domains[0]!;
    expect([d.smtpPort, d.imapsPort]).toEqual([0, 0]);
  });

  it('beside a wildcard --practice-host the other domains take the next port numbers', () => {
    for (const host of ['0.0.0.0', '::']) {
      for (const d of load(['--practice-host', host]).practice!.relay!.domains)
        expect([d.smtpPort, d.imapsPort]).toEqual([10026, 10994]);
    }
  });

  it('a class on the network (--host 0.0.0.0) moves only the page: the practice ports and the MX stay on loopback', () => {
    const c = load(['--host', '0.0.0.0', '--class', '3']);
    expect(c.practice!.host).toBe('127.0.0.1');
    expect(c.practice!.relay!.domains[0]).toMatchObject({ smtpPort: 10025, imapsPort: 10993 });
  });

  it('--mx-port sets the MX port; the smtp port itself is refused beside a wildcard --practice-host', () => {
    expect(load(['--mx-port', '2525']).practice!.relay!.domains[0]!.smtpPort).toBe(2525);
    expect(() => load(['--practice-host', '0.0.0.0', '--mx-port', '10025'])).toThrow(ConfigError);
    expect(() => load(['--practice-host', '0.0.0.0', '--mx-port', '10025'])).toThrow(/already holds on every address/);
  });

  it('--no-relay turns it off; --retry-schedule sets the delays and refuses nonsense', () => {
    expect(load(['--no-relay']).practice!.relay).toBeUndefined();
    expect(load(['--retry-schedule', '1,2,3']).practice!.relay!.retrySeconds).toEqual([1, 2, 3]);
    expect(() => load(['--retry-schedule', 'soon'])).toThrow(ConfigError);
    expect(() => load(['--retry-schedule', ''])).toThrow(ConfigError);
  });
});
