import { describe, expect, it } from 'vitest';
import { EXAMPLE_NAMES } from '../../../app/src/transcript/examples/index.ts';
import { buildLink, parseLink, type ShareLink } from '../../../app/src/transcript/link.ts';

describe('shareable links', () => {
  const links: Array<[ShareLink, string]> = [
    [{ kind: 'example', example: 'smtp-first', step: 4 }, '#/replay/example/smtp-first?step=4'],
    [{ kind: 'example', example: 'imap-first', step: null }, '#/replay/example/imap-first'],
    [{ kind: 'lesson', lesson: 'smtp-first', step: 3 }, '#/lesson/smtp-first/3'],
  ];
  for (const [link, hash] of links) {
    it(`builds and parses ${hash}`, () => {
      expect(buildLink(link)).toBe(hash);
      expect(parseLink(hash, EXAMPLE_NAMES)).toEqual({ ok: true, link });
    });
  }
  it('accepts a full URL and a hash without "#"', () => {
    expect(parseLink('http://127.0.0.1:8025/#/lesson/pop3-basics/2')).toEqual({
      ok: true,
      link: { kind: 'lesson', lesson: 'pop3-basics', step: 2 },
    });
    expect(parseLink('/replay/example/pop3-first?step=1')).toMatchObject({
      ok: true,
      link: { example: 'pop3-first', step: 1 },
    });
  });

  const bad: Array<[string, string]> = [
    ['', 'LINK_EMPTY'],
    ['#/', 'LINK_EMPTY'],
    ['#/replay/smtp-first', 'LINK_UNKNOWN_ROUTE'],
    ['#/replay/example/smtp-first?step=0', 'LINK_BAD_STEP'],
    ['#/replay/example/smtp-first?step=two', 'LINK_BAD_STEP'],
    ['#/replay/example/smtp-first?stp=2', 'LINK_UNKNOWN_ROUTE'],
    ['#/lesson/smtp-first/-1', 'LINK_BAD_STEP'],
    ['#/lesson/SMTP First/1', 'LINK_BAD_NAME'],
    ['#/lesson/%E0%A4%A/1', 'LINK_BAD_NAME'],
    ['#/replay/example/nntp-first?step=1', 'LINK_UNKNOWN_EXAMPLE'],
  ];
  for (const [hash, code] of bad) {
    it(`refuses ${JSON.stringify(hash)} with ${code}`, () => {
      const r = parseLink(hash, EXAMPLE_NAMES);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe(code);
      expect(r.error.message.length).toBeGreaterThan(20);
    });
  }
  it('refuses to build a link with a bad name or step', () => {
    expect(() => buildLink({ kind: 'lesson', lesson: 'a/b', step: 1 })).toThrow(/not a valid lesson name/);
    expect(() => buildLink({ kind: 'example', example: 'smtp-first', step: 0 })).toThrow(/not a step number/);
  });
});

describe('session links: any recorded session, carried in the link itself', () => {
  it('round-trips a recorded session at a step, masked unless the credentials may be included', async () => {
    const { loadExample } = await import('../../../app/src/transcript/examples/index.ts');
    const { sessionFromLinkData, sessionLinkData } = await import('../../../app/src/transcript/link.ts');
    const t = loadExample('pop3-first')!;
    const data = sessionLinkData(t);
    expect(data).toMatch(/^[A-Za-z0-9_-]+$/);
    const hash = buildLink({ kind: 'session', data, step: 3 });
    expect(hash).toBe(`#/replay/session/${data}?step=3`);
    const parsed = parseLink(`http://127.0.0.1:7025/${hash}`);
    expect(parsed).toEqual({ ok: true, link: { kind: 'session', data, step: 3 } });
    const back = sessionFromLinkData(data);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.transcript.meta).toEqual(t.meta);
    expect(back.transcript.events.length).toBe(t.events.length);
    const pass = (x: typeof t) =>
      new TextDecoder().decode(
        (x.events.find((e) => e.kind === 'sent' && e.secret?.length) as { data: Uint8Array }).data,
      );
    expect(pass(back.transcript)).not.toContain('practice');
    const revealed = sessionFromLinkData(sessionLinkData(t, true));
    expect(revealed.ok && pass(revealed.transcript)).toContain('PASS practice');
  });

  it('refuses a damaged or oversized session link with a stable code', async () => {
    const { MAX_SESSION_DATA, sessionFromLinkData } = await import('../../../app/src/transcript/link.ts');
    expect(parseLink('#/replay/session/abc$def')).toMatchObject({ ok: false, error: { code: 'LINK_BAD_SESSION' } });
    expect(parseLink(`#/replay/session/${'A'.repeat(MAX_SESSION_DATA + 1)}`)).toMatchObject({
      ok: false,
      error: { code: 'LINK_TOO_LONG' },
    });
    expect(parseLink('#/replay/session/abc?who=me')).toMatchObject({
      ok: false,
      error: { code: 'LINK_UNKNOWN_ROUTE' },
    });
    expect(sessionFromLinkData('bm90IGpzb24').ok).toBe(false); // "not json"
  });
});
