// Shared by the layout and accessibility tests (issue 15): open each screen of a real mailwire in
// a given size and theme, then check it: no horizontal scroll, no two controls overlapping (their
// bounding boxes, clipped to what their scroll containers show), and axe-core at WCAG 2.2 AA.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { send } from './harness.ts';

export const SIZES = [
  { name: 'small-phone', width: 360, height: 740, presenter: false },
  { name: 'phone', width: 390, height: 844, presenter: false },
  { name: 'projector', width: 1024, height: 768, presenter: true },
  { name: 'laptop', width: 1366, height: 768, presenter: false },
  { name: 'wide', width: 1920, height: 1080, presenter: false },
] as const;
export type Size = (typeof SIZES)[number];
export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** Screenshots a person looked at (issue 15's acceptance); test-results is also kept by CI. */
export const SHOTS = process.env.MAILWIRE_SHOTS ?? join(process.cwd(), 'test-results', 'screens');

export async function openContext(
  browser: Browser,
  size: Size | { width: number; height: number; presenter: boolean },
  theme: Theme,
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
  await context.addInitScript(
    ([t, p]) => {
      localStorage.setItem('mailwire.theme', t);
      localStorage.setItem('mailwire.presenter', p ? 'on' : 'off');
    },
    [theme, size.presenter] as const,
  );
  return context;
}

/** A two-hop message the practice server really produced, for the trace screen. */
const TWO_HOP = readFileSync(new URL('../fixtures/trace/two-hop.eml', import.meta.url), 'latin1');

/** Each screen, put into a state that shows its controls: a live SMTP session, a lesson step... */
export const SCREENS: Array<{ name: string; open: (page: Page, url: string) => Promise<void> }> = [
  {
    name: 'console',
    async open(page, url) {
      await page.goto(`${url}#/console`);
      await page.click('button[data-target="practice/smtp"]');
      await page.locator('[data-kind="server"]', { hasText: '220 ' }).waitFor();
      await send(page, 'EHLO learner.example', '250 ');
      await send(page, 'MAIL FROM:<alice@practice.test>', '2.1.0');
      await send(page, 'RCPT TO:<someone@elsewhere.example>', '5.7.1');
      await page.locator('[data-kind="server"]', { hasText: '250-PIPELINING' }).click();
    },
  },
  {
    name: 'studio',
    async open(page, url) {
      await page.goto(`${url}#/studio`);
      await page.locator('[data-testid="raw-message"]').waitFor({ timeout: 10_000 });
    },
  },
  {
    name: 'lesson-index',
    async open(page, url) {
      await page.goto(`${url}#/lessons`);
      await page.locator('[data-lesson]').first().waitFor();
    },
  },
  {
    name: 'lesson',
    async open(page, url) {
      await page.goto(`${url}#/lesson/smtp-ehlo-keywords`);
      const runner = page.getByTestId('lesson-runner');
      await runner.waitFor();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="lesson-runner"]')?.getAttribute('data-phase') === 'ready',
        null,
        { timeout: 15_000 },
      );
    },
  },
  {
    name: 'replay',
    async open(page, url) {
      await page.goto(`${url}#/replay/example/smtp-first?step=4`);
      await page.locator('[data-testid="replay-position"]').waitFor();
    },
  },
  {
    name: 'dns',
    async open(page, url) {
      await page.goto(`${url}#/dns`);
      await page.getByLabel('Question (type and name)').fill('MX faraway.test');
      await page.getByRole('button', { name: 'Ask', exact: true }).click();
      await page.locator('.answer[data-rcode="NOERROR"] .record').first().waitFor();
    },
  },
  {
    name: 'trace',
    async open(page, url) {
      await page.goto(`${url}#/trace`);
      await page.getByLabel('The message (headers and body)').fill(TWO_HOP);
      await page.locator('.hop').nth(1).waitFor();
    },
  },
  {
    // The queue as a class first sees it: empty (test/e2e/queue.test.ts fills it at one size).
    name: 'queue',
    async open(page, url) {
      await page.goto(`${url}#/queue`);
      await page.locator('[data-testid="queue-empty"]').waitFor();
    },
  },
];

/** The page is no wider than the window. */
export async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const w = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > w + 1)
      out.push(`page is ${document.documentElement.scrollWidth}px wide in a ${w}px window`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const cs = getComputedStyle(el);
      if (cs.position === 'fixed' || cs.visibility === 'hidden') continue;
      // Only elements not inside a scroll box of their own can push the page wider.
      let p = el.parentElement;
      let clipped = false;
      while (p && p !== document.body) {
        const o = getComputedStyle(p).overflowX;
        if (o !== 'visible') {
          clipped = true;
          break;
        }
        p = p.parentElement;
      }
      if (!clipped && r.right > w + 1)
        out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ends at ${Math.round(r.right)}px`);
    }
    return out.slice(0, 10);
  });
}

/** Pairs of visible controls whose boxes overlap (each clipped to the scroll boxes around it). */
export async function overlappingControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const sel =
      'button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="tab"], [role="button"], [tabindex="0"]';
    type Box = { el: Element; l: number; t: number; r: number; b: number };
    const boxes: Box[] = [];
    for (const el of document.querySelectorAll(sel)) {
      let r = el.getBoundingClientRect();
      let box = { l: r.left, t: r.top, r: r.right, b: r.bottom };
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || cs.display === 'none' || el.closest('.sr-only, [hidden], [inert]')) continue;
      // The content of a closed <details> is not rendered, though it keeps a box.
      const details = el.closest('details');
      if (details && !details.open && !el.closest('summary')) continue;
      // A scrollable log's rows and a region that is itself scrolled are compared with controls, not each other.
      if (el.matches('[role="log"] *')) continue;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p);
        if (o.overflowX !== 'visible' || o.overflowY !== 'visible') {
          r = p.getBoundingClientRect();
          box = {
            l: Math.max(box.l, r.left),
            t: Math.max(box.t, r.top),
            r: Math.min(box.r, r.right),
            b: Math.min(box.b, r.bottom),
          };
        }
      }
      if (box.r - box.l < 1 || box.b - box.t < 1) continue;
      boxes.push({ el, ...box });
    }
    const name = (el: Element) => {
      const t = (
        el.getAttribute('aria-label') ??
        (el.matches('input') ? el.closest('label')?.textContent : el.textContent) ??
        ''
      )
        .trim()
        .replace(/\s+/g, ' ')
        .slice(0, 30);
      return `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} "${t}"`;
    };
    const out: string[] = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        const w = Math.min(a.r, b.r) - Math.max(a.l, b.l);
        const h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
        if (w > 2 && h > 2) out.push(`${name(a.el)} overlaps ${name(b.el)} by ${Math.round(w)}x${Math.round(h)}px`);
      }
    return out.slice(0, 10);
  });
}

/** axe-core's WCAG 2.2 A and AA rules (and best practice for headings), as "rule (impact): where". */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.nodes.length} node(s), e.g. ${v.nodes[0]?.target.join(' ')} ${v.nodes[0]?.failureSummary?.split('\n').slice(0, 2).join(' ') ?? ''}`,
  );
}

export function shotPath(name: string): string {
  mkdirSync(SHOTS, { recursive: true });
  return join(SHOTS, `${name}.png`);
}
