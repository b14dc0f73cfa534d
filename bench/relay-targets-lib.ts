// The target servers of bench/relay.ts, run as their own process (like a real mail server) so
// that direct TCP and the relays all cross process boundaries. Prints {"echo":P,"bulk":P}.
// Run by bench/relay.ts: node --import tsx bench/relay-targets-lib.ts
import { BULK_BLOCK, BULK_TOTAL, listenOn } from './relay-lib.ts';

const TOTAL = BULK_TOTAL;
const BLOCK = BULK_BLOCK; // a pattern, so that the clients can tell a byte out of place
// BULK_LINGER_MS=N: close only N ms after the last byte went out (or when the client does), to
// check that websockify's short transfers come from its handling of the target's close.
const LINGER_MS = Number(process.env.BULK_LINGER_MS ?? 0);

const echo = await listenOn((s) => s.on('data', (d: Buffer) => s.write(d)));
const bulk = await listenOn((s) => {
  let sent = 0;
  const pump = () => {
    while (sent < TOTAL) {
      sent += BLOCK.length;
      if (!s.write(BLOCK)) return void s.once('drain', pump);
    }
    if (LINGER_MS > 0) setTimeout(() => s.end(), LINGER_MS);
    else s.end();
  };
  pump();
});
process.stdout.write(`${JSON.stringify({ echo: echo.port, bulk: bulk.port })}\n`);
