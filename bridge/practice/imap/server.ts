// Placeholder until the IMAP server lands: greets and says it is not ready.
import net from 'node:net';
import type { ProtocolServerOptions, RunningServer } from '../types.ts';

export async function startImapServer(opts: ProtocolServerOptions): Promise<RunningServer> {
  const server = net.createServer((socket) => socket.end('* BYE IMAP is not ready yet\r\n'));
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
