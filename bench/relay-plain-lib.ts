// A floor for bench/relay.ts below any WebSocket relay: a plain TCP-to-TCP relay in Node, no
// framing, no control messages, no policy. What it costs over direct TCP is the extra process
// and hop alone (two more wake-ups per round trip, every byte copied through one more process),
// which no relay, WebSocket or not, can avoid.
// Run by bench/relay.ts: node bench/relay-plain-lib.ts TARGET_PORT; prints the port.
import { connect, createServer } from 'node:net';

const target = Number(process.argv[2]);
const server = createServer((client) => {
  client.setNoDelay(true);
  const tcp = connect({ host: '127.0.0.1', port: target, noDelay: true });
  client.pipe(tcp);
  tcp.pipe(client);
  client.on('error', () => tcp.destroy());
  tcp.on('error', () => client.destroy());
  client.on('close', () => tcp.destroy());
  tcp.on('close', () => client.destroy());
});
server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () =>
  process.stdout.write(`${(server.address() as { port: number }).port}\n`),
);
process.once('SIGTERM', () => process.exit(0));
