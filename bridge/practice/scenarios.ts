// Per-connection teaching scenarios: the bridge registers a lesson's switches for the client port
// of its socket; protocol servers look them up by the remote port, over the global config ones.
import type { ScenarioRegistry, Scenarios } from './types.ts';

export function createScenarioRegistry(global: Scenarios = {}): ScenarioRegistry {
  const byPort = new Map<number, Scenarios>();
  return {
    register(clientPort, scenarios) {
      byPort.set(clientPort, { ...scenarios });
    },
    unregister(clientPort) {
      byPort.delete(clientPort);
    },
    lookup(clientPort) {
      const own = clientPort === undefined ? undefined : byPort.get(clientPort);
      return own ? { ...global, ...own } : { ...global };
    },
  };
}
