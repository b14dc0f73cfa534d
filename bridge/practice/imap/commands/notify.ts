// NOTIFY (RFC 5465 section 3.1): NOTIFY SET [STATUS] (filter events) ... replaces what the session
// hears of between commands; NOTIFY NONE stops it. The filters and events are in ../notify.ts.
import { parseNotify } from '../notify.ts';
import type { CommandHandler } from '../session.ts';

export const notifyCommand: CommandHandler = async (session, cmd) => {
  const request = parseNotify(cmd.args, session.utf8Names);
  // A successful NOTIFY SET is also an implicit NOOP (section 3.1): the changes waiting for the
  // selected mailbox go out with its reply, as after any command (session.run).
  session.notify.set(request);
  session.notify.initialStatus();
  if (!request) return { status: 'OK', text: 'NOTIFY NONE: no more notifications.' };
  return { status: 'OK', text: 'NOTIFY SET: notifications as asked.' };
};
