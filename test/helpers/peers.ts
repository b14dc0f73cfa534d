// What tests need to run real peers (Dovecot, exim, swaks, curl, openssl, python3) on loopback.
import { spawnSync } from 'node:child_process';
import net from 'node:net';

/** True when `program` is on the PATH; tests that need it skip with a visible reason otherwise. */
export function has(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

/** A free loopback port for a peer daemon that cannot be told to pick its own. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
