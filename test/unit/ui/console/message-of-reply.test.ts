import { describe, expect, it } from 'vitest';
import { messageOfReply, messageOfSelection } from '../../../../app/src/ui/console/message-of-reply.ts';
import { createTracker } from '../../../../app/src/ui/console/tracker.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const MESSAGE = 'Subject: hi\r\n\r\n.leading dot\r\nbody\r\n';

describe('messageOfReply', () => {
  it('takes the message out of an IMAP FETCH BODY[] literal, byte-exact', () => {
    const t = createTracker('imap');
    t.received(enc.encode('* OK ready\r\n'));
    t.sent('a3 FETCH 1 BODY[]\r\n');
    const views = t.received(enc.encode(`* 1 FETCH (BODY[] {${MESSAGE.length}}\r\n${MESSAGE})\r\na3 OK done\r\n`));
    const fetch = views.find((v) => v.fetch);
    expect(dec.decode(messageOfReply(fetch ?? null)!)).toBe(MESSAGE);
    expect(messageOfReply(views.at(-1)!)).toBeNull();
  });

  it('finds the message of a FETCH from its tagged completion, but not from another command', () => {
    const t = createTracker('imap');
    t.received(enc.encode('* OK ready\r\n'));
    t.sent('a2 NOOP\r\n');
    const replies = [...t.received(enc.encode('a2 OK noop\r\n'))];
    t.sent('a3 FETCH 1 BODY[]\r\n');
    replies.push(...t.received(enc.encode(`* 1 FETCH (BODY[] {${MESSAGE.length}}\r\n${MESSAGE})\r\na3 OK done\r\n`)));
    const done = replies.length - 1;
    expect(replies[done]!.raw).toMatch(/^a3 OK/);
    expect(dec.decode(messageOfSelection(replies, done)!)).toBe(MESSAGE);
    expect(messageOfSelection(replies, 0)).toBeNull(); // the NOOP's OK
    expect(messageOfSelection(replies, null)).toBeNull();
  });

  it('undoes POP3 dot-stuffing in a RETR reply', () => {
    const t = createTracker('pop3');
    t.received(enc.encode('+OK ready\r\n'));
    t.sent('RETR 1\r\n');
    const [view] = t.received(enc.encode(`+OK 40 octets\r\nSubject: hi\r\n\r\n..leading dot\r\nbody\r\n.\r\n`));
    expect(dec.decode(messageOfReply(view)!)).toBe(MESSAGE);
  });
});
