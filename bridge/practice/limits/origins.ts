// The connection-origin registry (types.ts, ConnectionOrigins): for each client port the practice
// server sees, the address of the browser the bridge relays for and the lesson's scenario switches.
// Pure: no Node APIs.
import type { ConnectionOrigins, Scenarios } from '../types.ts';

interface Origin {
  scenarios: Scenarios;
  address: string | undefined;
}

export function createConnectionOrigins(global: Scenarios = {}): ConnectionOrigins {
  const byPort = new Map<number, Origin>();
  const waiters = new Map<number, Array<() => void>>();
  return {
    register(clientPort, scenarios, address) {
      byPort.set(clientPort, { scenarios: { ...scenarios }, address });
      const waiting = waiters.get(clientPort);
      waiters.delete(clientPort);
      for (const w of waiting ?? []) w();
    },
    unregister(clientPort) {
      byPort.delete(clientPort);
    },
    lookup(clientPort) {
      const own = clientPort === undefined ? undefined : byPort.get(clientPort);
      return own ? { ...global, ...own.scenarios } : { ...global };
    },
    address(clientPort, socketAddress) {
      return (clientPort === undefined ? undefined : byPort.get(clientPort)?.address) ?? socketAddress;
    },
    whenRegistered(clientPort, waitMs) {
      if (clientPort === undefined || byPort.has(clientPort) || waitMs <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          const list = waiters.get(clientPort);
          const rest = list?.filter((w) => w !== finish);
          if (rest?.length) waiters.set(clientPort, rest);
          else waiters.delete(clientPort);
          resolve();
        };
        const timer = setTimeout(finish, waitMs);
        const list = waiters.get(clientPort) ?? [];
        list.push(finish);
        waiters.set(clientPort, list);
      });
    },
  };
}
