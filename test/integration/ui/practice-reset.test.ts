// The page's reset client against a real mailwire on loopback (Node's fetch, with the Origin a
// browser would add): the answer and every refusal become one sentence; it never throws.
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestPracticeReset } from '../../../app/src/ui/console/practice-reset.ts';
import { configWithDefaults } from '../../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startMailwire, type RunningMailwire } from '../../../bridge/start.ts';
import { EPHEMERAL_PORTS } from '../../helpers/practice-ports.ts';

describe('requestPracticeReset against a running mailwire', () => {
  const dirs: string[] = [];
  let on: RunningMailwire;
  let off: RunningMailwire;
  let other: Server; // a web server that is not mailwire
  beforeAll(async () => {
    other = createServer((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/html' }).end('<!doctype html><p>Not here.'),
    );
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const a = mkdtempSync(join(tmpdir(), 'mw-ui-reset-'));
    const b = mkdtempSync(join(tmpdir(), 'mw-ui-reset-off-'));
    dirs.push(a, b);
    on = await startMailwire(
      configWithDefaults({
        dataDir: a,
        port: 0,
        practice: practiceConfigWithDefaults({ dataDir: a, ports: EPHEMERAL_PORTS }),
      }),
      { log: () => {} },
    );
    off = await startMailwire(configWithDefaults({ dataDir: b, port: 0, practice: null }), { log: () => {} });
  });
  afterAll(async () => {
    await on?.close();
    await off?.close();
    await new Promise((r) => other?.close(r));
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  /** fetch as the page served from `base` does it: relative URL, its own Origin (or another one). */
  const pageFetch = (base: string, origin = new URL(base).origin): typeof fetch =>
    ((input: string, init: RequestInit) =>
      fetch(new URL(input, base), { ...init, headers: { origin } })) as typeof fetch;

  it('returns the sentence and the answer on success', async () => {
    const outcome = await requestPracticeReset(pageFetch(on.url));
    expect(outcome.ok).toBe(true);
    expect(outcome.text).toBe('Removed 2 messages: alice 1, bob 1. Each INBOX has a fresh welcome message.');
  });

  it('turns a refusal into its code and sentence', async () => {
    const foreign = await requestPracticeReset(pageFetch(on.url, 'http://evil.example'));
    expect(foreign).toEqual({
      ok: false,
      text: expect.stringMatching(/^ORIGIN_NOT_ALLOWED: Pages from http:\/\/evil\.example /),
    });
    const practiceOff = await requestPracticeReset(pageFetch(off.url));
    expect(practiceOff).toEqual({ ok: false, text: expect.stringMatching(/^PRACTICE_OFF: .*--no-practice/) });
  });

  it('does not throw when nothing answers, or when the answer is not mailwire JSON', async () => {
    const closedPort = `http://127.0.0.1:1/`;
    expect(await requestPracticeReset(pageFetch(closedPort))).toEqual({
      ok: false,
      text: expect.stringMatching(/could not be reached/),
    });
    const elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
    expect(await requestPracticeReset(pageFetch(elsewhere))).toEqual({
      ok: false,
      text: expect.stringMatching(/HTTP 404.*not be served by mailwire/),
    });
  });
});
