// The floor for bench/relay.ts: the smallest useful `ws` relay (no control messages, no policy,
// no limits, no STARTTLS), run as its own process the same way as the bridge. The gap between it
// and mailwire's bridge is the cost of the bridge's own code; the gap between it and direct TCP is
// the cost of WebSocket framing and the extra process hop.
// Run by bench/relay.ts: node --import tsx bench/relay-bare-lib.ts TARGET_PORT; prints the port.
import { connect } from 'node:net';
import { WebSocketServer } from 'ws';

const target = Number(process.argv[2]);
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false }, () => {
  process.stdout.write(`${(wss.address() as { port: number }).port}\n`);
});
wss.on('connection', (ws) => {
  const tcp = connect({ host: '127.0.0.1', port: target, noDelay: true });
  ws.on('message', (d: Buffer) => tcp.write(d));
  tcp.on('data', (d) => ws.send(d));
  ws.on('close', () => tcp.destroy());
  tcp.on('close', () => ws.close());
  ws.on('error', () => tcp.destroy());
  tcp.on('error', () => ws.close());
});
process.once('SIGTERM', () => process.exit(0)); // exit normally so that --cpu-prof can write its profile
