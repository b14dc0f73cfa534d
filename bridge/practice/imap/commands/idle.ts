// IDLE (RFC 2177): the client waits; mailbox changes are sent as they happen until it sends DONE.
import { expectArgs } from '../parser.ts';
import type { CommandHandler } from '../session.ts';

export const idleCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 0, 0, 'IDLE');
  session.io.write(['+ idling; send DONE to stop\r\n']);
  session.idling = true;
  try {
    session.selected?.flush(session, true);
    const frame = await session.io.nextFrame();
    if (!frame) return { status: 'BAD', text: 'The connection closed during IDLE.' };
    const line = frame.lines.join('').trim().toUpperCase();
    if (line !== 'DONE') return { status: 'BAD', text: 'IDLE ends with the line DONE; anything else is an error.' };
    return { status: 'OK', text: 'IDLE terminated.' };
  } finally {
    session.idling = false;
  }
};
