// The queue lessons say what `npm start` and the practice zones do: the retry schedule, the MX
// host names, and (greylist.test) a greylist delay shorter than the first retry, so the first retry
// is the one that gets through. A change to one side without the other fails here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PRACTICE_ZONES } from '../../../app/src/protocols/dns/zones.ts';
import { parseLesson, type Lesson } from '../../../app/src/lessons/index.ts';
import { DEFAULT_RETRY_SECONDS, defaultRelayConfig, greylistDelayFor, outageDomain } from '../../../bridge/practice/domains/relay.ts';

const lesson = (id: string): Lesson =>
  parseLesson(`lessons/${id}.md`, readFileSync(fileURLToPath(new URL(`../../../lessons/${id}.md`, import.meta.url)), 'utf8'));
const text = (l: Lesson) => [l.intro, ...l.steps.flatMap((s) => [s.prose, s.hint ?? ''])].join(' ').replace(/\s+/g, ' ');
const mxOf = (origin: string) =>
  PRACTICE_ZONES.find((z) => z.origin === origin)!.records.flatMap((r) => (r.type === 'MX' ? [r.data.exchange] : []));

describe('the queue lessons and the practice internet agree', () => {
  it('smtp-queue-mx-down: the retry schedule and the one MX host of unreachable.test', () => {
    const t = text(lesson('smtp-queue-mx-down'));
    const [a, b, c, d] = DEFAULT_RETRY_SECONDS;
    expect(t).toContain(`after ${a}, ${b}, ${c} and ${d} seconds`);
    expect(mxOf('unreachable.test')).toEqual(['mx.unreachable.test']);
    expect(t).toContain('`mx.unreachable.test`');
  });

  it('smtp-queue-greylist: one MX host, greylisting for less than the first retry, which is the one taken', () => {
    const l = lesson('smtp-queue-greylist');
    const t = text(l);
    expect(mxOf('greylist.test')).toEqual(['mx.greylist.test']);
    expect(t).toContain('`mx.greylist.test`');
    expect(t).toContain(`retries after ${DEFAULT_RETRY_SECONDS[0]} seconds`);
    const grey = defaultRelayConfig().domains.find((d) => d.domain === 'greylist.test')!;
    expect(grey.greylistDelayMs).toBe(greylistDelayFor(DEFAULT_RETRY_SECONDS));
    expect(grey.greylistDelayMs!).toBeLessThan(DEFAULT_RETRY_SECONDS[0]! * 1000);
    expect(grey.accounts.map((a) => a.username)).toEqual(['dana']);
    expect(l.steps.some((s) => /RCPT TO:<dana@greylist\.test> NOTIFY=SUCCESS/.test(s.send ?? ''))).toBe(true);
  });

  it('smtp-queue-mx-outage: one MX host on 127.0.1.4, account erin, the retry schedule, practice only', () => {
    const l = lesson('smtp-queue-mx-outage');
    const t = text(l);
    expect(mxOf('outage.test')).toEqual(['mx.outage.test']);
    expect(t).toContain('`mx.outage.test`');
    const [a, b, c, d] = DEFAULT_RETRY_SECONDS;
    expect(t).toContain(`after ${a}, ${b}, ${c} and ${d} seconds`);
    const outage = defaultRelayConfig().domains.find((x) => x.domain === 'outage.test')!;
    expect(outage).toEqual(outageDomain({ smtpPort: outage.smtpPort, imapsPort: outage.imapsPort }));
    expect(outage.addresses).toEqual(['127.0.1.4']);
    expect(outage.accounts.map((x) => x.username)).toEqual(['erin']);
    expect(l.practiceOnly).toMatch(/outage\.test/);
    expect(l.steps.some((s) => /RCPT TO:<erin@outage\.test> NOTIFY=SUCCESS/.test(s.send ?? ''))).toBe(true);
  });
});
