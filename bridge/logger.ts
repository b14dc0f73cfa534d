// The one logging shape of the process: an event name and its fields, written as one JSON line
// (bridge/start.ts). The relay and the practice server both take it, and so know nothing of each other.
export type Logger = (event: string, fields?: Record<string, unknown>) => void;
