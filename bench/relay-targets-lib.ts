// The target servers of bench/relay.ts, run as their own process (like a real mail server) so
// that direct TCP and the relays all cross process boundaries. Prints {"echo":P,"bulk":P}.
// Run by bench/relay.ts: node --import tsx bench/relay-targets-lib.ts
import { BULK_BLOCK, listenOn } from './relay-lib.ts';

const TOTAL = Number(process.env.BULK_BYTES ?? 50 * 1024 * 1024);
const BLOCK = BULK_BLOCK; // a pattern, so that the clients can tell a byte out of place

const echo = await listenOn((s) => s.on('data', (d: Buffer) => s.write(d)));
const bulk = await listenOn((s) => {
  let sent = 0;
  const pump = () => {
    while (sent < TOTAL) {
      sent += BLOCK.length;
      if (!s.write(BLOCK)) return void s.once('drain', pump);
    }
    s.end();
  };
  pump();
});
process.stdout.write(`${JSON.stringify({ echo: echo.port, bulk: bulk.port })}\n`);
