// A mailwire whose outbound queue holds several messages, for the screens test (issue 17): alice
// submits over real SMTP (nodemailer, STARTTLS + AUTH on practice/submission, as queue.test.ts
// does) two letters to unreachable.test (its MX never answers), one to greylist.test (its MX says
// 451 4.7.1 the first time, RFC 6647), one to carol@faraway.test (delivered) and one to
// nobody@faraway.test (550 5.1.1, bounced at once). The retries are an hour apart, so the three
// queued rows stay queued for the whole run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { projectRoot } from '../../bridge/build.ts';
import { configWithDefaults } from '../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../bridge/practice/defaults.ts';
import { farawayDomain, greylistDelayFor, greylistDomain } from '../../bridge/practice/domains/relay.ts';
import { startMailwire, type RunningMailwire } from '../../bridge/start.ts';
import type { QueueBody } from '../../app/src/wire/queue.ts';
import { EPHEMERAL_PORTS } from '../helpers/practice-ports.ts';

const RETRY_SECONDS = [3600, 3600];
export const QUEUED = ['someone@unreachable.test', 'another@unreachable.test', 'dana@greylist.test'];
export const LEFT = ['carol@faraway.test', 'nobody@faraway.test'];

export interface QueuedMailwire {
  mailwire: RunningMailwire;
  close(): Promise<void>;
}

export async function startQueuedMailwire(): Promise<QueuedMailwire> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-e2e-queue-rows-'));
  const mailwire = await startMailwire(
    configWithDefaults({
      dataDir,
      port: 0,
      distDir: join(projectRoot, 'dist'),
      practice: practiceConfigWithDefaults({
        dataDir,
        ports: EPHEMERAL_PORTS,
        relay: {
          domains: [
            farawayDomain({ smtpPort: 0, imapsPort: 0 }),
            greylistDomain({ smtpPort: 0, imapsPort: 0 }, greylistDelayFor(RETRY_SECONDS)),
          ],
          retrySeconds: RETRY_SECONDS,
          timeoutMs: 3000,
        },
      }),
    }),
    { log: () => {} },
  );
  const close = async () => {
    await mailwire.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: mailwire.practice!.endpoints['practice/submission'].port,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'alice', pass: 'practice' },
    });
    for (const to of [...QUEUED, ...LEFT])
      await transport.sendMail({
        from: 'alice@practice.test',
        to,
        subject: `for ${to}`,
        text: 'a row in the queue view',
      });
    transport.close();
    // Settled: every queued message tried once (it has a last reply), the other two gone.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const body = (await (await fetch(`${mailwire.url}api/queue`)).json()) as QueueBody;
      const tried = body.messages.filter((m) => m.lastReply).length;
      if (tried === QUEUED.length && body.recent.length >= LEFT.length) break;
      if (Date.now() > deadline)
        throw new Error(`the queue did not settle: ${JSON.stringify({ tried, recent: body.recent.length })}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { mailwire, close };
}

/** The queue screen with its rows and its "left the queue" list showing. */
export async function openQueueWithRows(page: Page, url: string): Promise<void> {
  await page.goto(`${url}#/queue`);
  await page
    .locator('[data-testid="queue-table"] tbody tr')
    .nth(QUEUED.length - 1)
    .waitFor();
  await page
    .locator('[data-testid="queue-recent"] li')
    .nth(LEFT.length - 1)
    .waitFor();
  // On a phone the rows are below the introduction: the screenshot shows them.
  await page.locator('[data-testid="queue-table"]').evaluate((t) => t.scrollIntoView({ block: 'start' }));
}
