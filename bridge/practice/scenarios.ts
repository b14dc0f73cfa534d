// Per-connection teaching scenarios and client addresses: the registry lives in limits/origins.ts
// (the bridge fills it, the protocol servers read it); this name stays for existing callers.
export { createConnectionOrigins as createScenarioRegistry } from './limits/origins.ts';
