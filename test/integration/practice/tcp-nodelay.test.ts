// Every practice listener turns Nagle's algorithm off on the sockets it accepts (issue 18). With it
// on, a reply written in two pieces (IMAP's untagged data then its tagged OK, POP3's RETR status
// line then the message) keeps its second piece back until the client acknowledges the first,
// and a Linux client delays that ACK by 40 ms: POP3's RETR took 48 ms instead of 0.5 ms. Timing
// that here would be a timed unit test; instead the test watches which server-side sockets get
// setNoDelay(true), on every port, plain and TLS from the first byte (`npm run bench -- pop3`
// and `imap` show the time beside Dovecot's).
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { practiceConfigWithDefaults } from '../../../bridge/practice/defaults.ts';
import { startPractice, type RunningPractice } from '../../../bridge/practice/index.ts';
import { EPHEMERAL_PORTS } from '../../helpers/practice-ports.ts';

/** Client port -> what the server side of that connection was last given by setNoDelay. */
const noDelayByClientPort = new Map<number, boolean>();
const original = net.Socket.prototype.setNoDelay;

let practice: RunningPractice;
let dir: string;

beforeAll(async () => {
  // Recorded, then passed on unchanged: the real sockets get the real option.
  net.Socket.prototype.setNoDelay = function (this: net.Socket, noDelay?: boolean) {
    if (this.remotePort !== undefined) noDelayByClientPort.set(this.remotePort, noDelay ?? true);
    return original.call(this, noDelay);
  };
  dir = await mkdtemp(path.join(tmpdir(), 'mailwire-nodelay-'));
  practice = await startPractice(practiceConfigWithDefaults({ dataDir: dir, ports: EPHEMERAL_PORTS }), () => {});
});

afterAll(async () => {
  net.Socket.prototype.setNoDelay = original;
  await practice?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Connects, waits for the greeting, and returns the client's own port. */
function greeted(port: number, secure: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : net.connect({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('data', () => {
      const own = socket.localPort!;
      socket.destroy();
      resolve(own);
    });
  });
}

const TARGETS = [
  'practice/smtp',
  'practice/submission',
  'practice/smtps',
  'practice/imap',
  'practice/imaps',
  'practice/pop3',
  'practice/pop3s',
] as const;

describe('practice listeners and Nagle', () => {
  it.each(TARGETS)('%s sets TCP_NODELAY on the socket it accepted, before its greeting', async (target) => {
    const ep = practice.endpoints[target];
    const clientPort = await greeted(ep.port, ep.tls === 'implicit');
    // The setter runs on the server's own socket for this connection (its remote port is ours);
    // our client socket never calls it.
    expect(noDelayByClientPort.get(clientPort), `${target}: setNoDelay(true) on the accepted socket`).toBe(true);
  });
});
