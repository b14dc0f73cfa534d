// Debian's nginx-light in front of mailwire on loopback, with the configuration README.md shows
// under "Behind a school's reverse proxy" (read from the README itself, so the documented config
// is the tested one): TLS, the WebSocket upgrade, X-Forwarded-For. 25 students from 25 loopback
// addresses (each client socket bound to its own 127.0.0.x) each get their own session cap; a
// reset through the proxy is refused although the proxy itself is on loopback; the page and
// /bridge work at the --public-url origin, and a foreign origin is still refused.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { projectRoot } from '../../../bridge/build.ts';
import { configWithDefaults } from '../../../bridge/config/load.ts';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startMailwire, type RunningMailwire } from '../../../bridge/start.ts';
import { chromium } from 'playwright-core';
import { freePort } from '../../helpers/peers.ts';
import { CHROMIUM, hasChromium } from '../../e2e/harness.ts';
import { ZERO_PORTS } from '../practice/smtp/helpers.ts';

const NGINX = '/usr/sbin/nginx';
const STUDENTS = Array.from({ length: 25 }, (_, i) => `127.0.0.${10 + i}`);

function readmeNginxConfig(): string {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const m = /```nginx\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md has no ```nginx block');
  return m[1]!;
}

describe.skipIf(!existsSync(NGINX))(
  'mailwire behind nginx (README config, --public-url, --trust-proxy; needs /usr/sbin/nginx from nginx-light)',
  () => {
    let dir = '';
    let mailwire: RunningMailwire;
    let nginx: ChildProcess;
    let proxyPort = 0;
    let publicUrl = '';
    const logs: Array<Record<string, unknown>> = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'mw-nginx-'));
      chmodSync(dir, 0o755);
      proxyPort = await freePort();
      publicUrl = `https://127.0.0.1:${proxyPort}`;
      mailwire = await startMailwire(
        configWithDefaults({
          dataDir: dir,
          port: 0,
          distDir: join(projectRoot, 'dist'),
          practice: practiceConfigWithDefaults({ dataDir: dir, ports: ZERO_PORTS, classSize: 25 }),
          limits: { sessionsPerClient: 2 },
          publicUrl,
          allowedOrigins: [publicUrl], // what loadConfig derives from --public-url
          trustProxy: [],
        }),
        { log: (event, fields) => logs.push({ event, ...fields }) },
      );
      const pems = await selfsigned.generate([{ name: 'commonName', value: 'mail.school.example' }], { keySize: 2048 });
      writeFileSync(join(dir, 'cert.pem'), pems.cert);
      writeFileSync(join(dir, 'key.pem'), pems.private);
      const site = readmeNginxConfig()
        .replace('listen 443 ssl;', `listen 127.0.0.1:${proxyPort} ssl;`)
        .replace('/etc/ssl/certs/mail.school.example.pem', join(dir, 'cert.pem'))
        .replace('/etc/ssl/private/mail.school.example.key', join(dir, 'key.pem'))
        .replace('http://127.0.0.1:7025', `http://127.0.0.1:${new URL(mailwire.url).port}`);
      expect(site).toContain(`listen 127.0.0.1:${proxyPort} ssl;`);
      const conf = `master_process off;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
${site}
}
`;
      writeFileSync(join(dir, 'nginx.conf'), conf);
      nginx = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      nginx.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      for (let i = 0; ; i++) {
        const up = await get('/').then(
          () => true,
          () => false,
        );
        if (up) break;
        if (i > 100 || nginx.exitCode !== null)
          throw new Error(
            `nginx did not start: ${stderr} ${existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    }, 60_000);

    afterAll(async () => {
      if (nginx && nginx.exitCode === null) {
        const exited = new Promise((r) => nginx.once('exit', r));
        nginx.kill('SIGTERM'); // by its own PID: the one process we started
        await exited;
      }
      await mailwire?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    function get(
      path: string,
      localAddress = '127.0.0.1',
      init: { method?: string; headers?: Record<string, string> } = {},
    ): Promise<{ status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: proxyPort,
            path,
            localAddress,
            rejectUnauthorized: false,
            method: init.method ?? 'GET',
            headers: init.headers,
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (body += d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    }

    /** Opens /bridge through the proxy from `localAddress`; what the bridge said in the first 400 ms. */
    function bridge(localAddress: string, origin = publicUrl): Promise<{ ws: WebSocket; error: string | null }> {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(`wss://127.0.0.1:${proxyPort}/bridge`, {
          origin,
          localAddress,
          rejectUnauthorized: false,
        });
        let error: string | null = null;
        ws.on('message', (data: Buffer) => {
          const m = JSON.parse(data.toString()) as { type: string; code?: string };
          if (m.type === 'error') error = m.code ?? 'error';
        });
        ws.once('unexpected-response', (_req, res) => resolve({ ws, error: `HTTP ${res.statusCode}` }));
        ws.once('error', (e) => (error ? undefined : reject(e)));
        ws.once('open', () => setTimeout(() => resolve({ ws, error }), 400));
      });
    }

    it('serves the page at the public URL', async () => {
      const page = await get('/');
      expect(page.status).toBe(200);
      expect(page.body).toMatch(/<!doctype html>/i);
      expect((await get('/api/class')).body).toContain('"class":true');
    });

    it.skipIf(!hasChromium)(
      'in Chromium at the public URL: a student signs in and a lesson talks to the practice server through the proxy',
      async () => {
        const browser = await chromium.launch({
          executablePath: CHROMIUM,
          args: ['--no-sandbox', '--disable-gpu', '--ignore-certificate-errors', '--no-first-run'],
        });
        try {
          const page = await browser.newPage();
          await page.goto(`${publicUrl}/`);
          const [ada] = mailwire.practice!.roster!.students;
          await page.getByTestId('class-account').selectOption(ada!.account);
          await page.getByTestId('class-password').fill(ada!.password);
          await page.getByTestId('class-sign-in-submit').click();
          await page.getByTestId('class-bar').waitFor({ timeout: 10_000 });
          await page.goto(`${publicUrl}/#/lesson/smtp-first-conversation/0`);
          const runner = page.getByTestId('lesson-runner');
          await expect
            .poll(async () => `${await runner.getAttribute('data-step')}:${await runner.getAttribute('data-phase')}`, {
              timeout: 15_000,
            })
            .toBe('1:ready');
          // The sign-in was logged under the browser's address as the proxy reported it.
          expect(logs.some((l) => l.event === 'class.sign-in' && l.ok === true && l.client === '127.0.0.1')).toBe(true);
        } finally {
          await browser.close();
        }
      },
      60_000,
    );

    it('passes the class event stream on at once (proxy_buffering off): a note reaches a student live', async () => {
      const roster = mailwire.practice!.roster!;
      const signIn = async (account: string, password: string) => {
        const body = JSON.stringify({ account, password });
        return new Promise<string>((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port: proxyPort,
              path: '/api/class/sign-in',
              method: 'POST',
              rejectUnauthorized: false,
              headers: {
                origin: publicUrl,
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(body),
              },
            },
            (res) => {
              res.resume();
              const cookie = res.headers['set-cookie']?.[0] ?? '';
              expect(cookie).toContain('; Secure'); // the public URL is https
              resolve(cookie.split(';')[0]!);
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      };
      const student = await signIn(roster.students[1]!.account, roster.students[1]!.password);
      const teacher = await signIn('teacher', roster.teacher.password);
      let text = '';
      const stream = request(
        {
          host: '127.0.0.1',
          port: proxyPort,
          path: '/api/class/events',
          rejectUnauthorized: false,
          headers: { cookie: student },
        },
        (res) => {
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
        },
      );
      stream.on('error', () => {});
      stream.end();
      await expect.poll(() => text, { timeout: 5000 }).toContain('event: follow');
      const body = JSON.stringify({ text: 'through the proxy' });
      await new Promise<void>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: proxyPort,
            path: '/api/class/note',
            method: 'POST',
            rejectUnauthorized: false,
            headers: {
              origin: publicUrl,
              cookie: teacher,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => (res.resume(), res.on('end', () => resolve())),
        );
        req.on('error', reject);
        req.end(body);
      });
      await expect.poll(() => text, { timeout: 5000 }).toContain('"text":"through the proxy"');
      stream.destroy();
    });

    it('gives each of 25 students behind the proxy their own session cap', async () => {
      const opened: WebSocket[] = [];
      const outcomes = await Promise.all(
        STUDENTS.map(async (address) => {
          const mine: Array<string | null> = [];
          for (let i = 0; i < 3; i++) {
            const { ws, error } = await bridge(address);
            opened.push(ws);
            mine.push(error);
          }
          return mine;
        }),
      );
      for (const ws of opened) ws.terminate();
      // Two sessions each, the third refused: one shared cap would have refused all but two in total.
      for (const [i, mine] of outcomes.entries()) expect(mine, STUDENTS[i]).toEqual([null, null, 'LIMIT_REACHED']);
      const refused = logs
        .filter((l) => l.event === 'relay.refused' && l.code === 'LIMIT_REACHED')
        .map((l) => l.client);
      expect([...refused].sort()).toEqual([...STUDENTS].sort());
    }, 60_000);

    it('refuses a foreign origin and a reset from a student, even with a forged X-Forwarded-For', async () => {
      expect((await bridge('127.0.0.40', 'https://evil.example')).error).toBe('HTTP 403');
      const reset = await get('/api/practice/reset', '127.0.0.41', {
        method: 'POST',
        headers: { origin: publicUrl, 'x-forwarded-for': '127.0.0.1' },
      });
      expect(reset.status).toBe(403);
      expect(JSON.parse(reset.body)).toMatchObject({ code: 'RESET_LOCAL_ONLY' });
      expect(JSON.parse(reset.body).message).toContain('127.0.0.41 (through the proxy)');
    });
  },
);
