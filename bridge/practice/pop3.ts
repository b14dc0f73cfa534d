// Placeholder until the POP3 server lands: greets and says it is not ready.
import net from 'node:net';
import type { ProtocolServerOptions, RunningServer } from './types.ts';

export async function startPop3Server(opts: ProtocolServerOptions): Promise<RunningServer> {
  const server = net.createServer((socket) => socket.end('-ERR POP3 is not ready yet\r\n'));
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
