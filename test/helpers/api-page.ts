// A browser page speaking the bridge's JSON API by fetch: it keeps the session cookie the server
// sets (sign-in), sends the Origin a browser would (null: none, as curl sends), and reads the
// classroom's server-sent events.
import { request } from 'node:http';

export class ApiPage {
  cookie = '';
  constructor(readonly base: string) {}
  get origin() {
    return new URL(this.base).origin;
  }
  async call(
    method: string,
    path: string,
    body?: unknown,
    origin: string | null = this.origin,
  ): Promise<{ status: number; body: any; text: string }> {
    const res = await fetch(new URL(path, this.base), {
      method,
      headers: {
        ...(origin ? { origin } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: the test looks at the text
    }
    return { status: res.status, body: parsed, text };
  }
  /** Collects server-sent events until `until` sees the one it waits for. */
  events(): {
    list: Array<{ event: string; data: any }>;
    next(pred: (e: { event: string; data: any }) => boolean): Promise<{ event: string; data: any }>;
    close(): void;
  } {
    const list: Array<{ event: string; data: any }> = [];
    const waiters: Array<() => void> = [];
    const url = new URL('/api/class/events', this.base);
    let buffer = '';
    const req = request(url, { headers: { cookie: this.cookie } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let i: number;
        while ((i = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) list.push({ event, data: JSON.parse(data ?? 'null') });
          for (const w of waiters.splice(0)) w();
        }
      });
    });
    req.on('error', () => {});
    req.end();
    return {
      list,
      async next(pred) {
        for (;;) {
          const found = list.find(pred);
          if (found) return found;
          await new Promise<void>((resolve, reject) => {
            const t = setTimeout(() => reject(new Error(`no such event among ${JSON.stringify(list)}`)), 5000);
            waiters.push(() => {
              clearTimeout(t);
              resolve();
            });
          });
        }
      },
      close: () => req.destroy(),
    };
  }
}
