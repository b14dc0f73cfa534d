// Every practice port at 0: each listener takes a free port of its own, so tests run side by side.
import type { PracticePorts } from '../../bridge/practice/types.ts';

export const EPHEMERAL_PORTS: Readonly<PracticePorts> = Object.freeze({
  smtp: 0,
  submission: 0,
  smtps: 0,
  imap: 0,
  imaps: 0,
  pop3: 0,
  pop3s: 0,
});
