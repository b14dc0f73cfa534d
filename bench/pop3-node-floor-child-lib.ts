// The floor for bench/pop3.ts: a plain Node TCP server in a process of its own that answers each
// line it is sent (after a greeting) with one fixed status line ("+OK 20 14000", a STAT reply), doing nothing else.
// Its round trip is what any Node server pays for one reply on loopback (event loop, libuv, the
// socket write), beside which the practice server's STAT and LIST are read. Prints the port.
import net from 'node:net';

const server = net.createServer({ noDelay: true }, (socket) => {
  let pending = '';
  socket.setEncoding('latin1');
  socket.write('+OK floor ready\r\n'); // a greeting, so the bench's session opens as on a POP3 server
  socket.on('data', (d: string) => {
    pending += d;
    let lf: number;
    while ((lf = pending.indexOf('\n')) !== -1) {
      pending = pending.slice(lf + 1);
      socket.write('+OK 20 14000\r\n');
    }
  });
  socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.once('SIGTERM', () => process.exit(0));
