import { describe, expect, it } from 'vitest';
import {
  asksForUsername,
  challengeText,
  decodeSaslResponse,
  encodePlainMessage,
  LOGIN_USERNAME_PROMPT,
  parsePlainMessage,
  saslChallenge,
} from '../../../../app/src/protocols/common/sasl-wire.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('SASL on the wire', () => {
  it('reads "*" as cancel, "=" as an empty response and refuses what is not base64 (RFC 4954 4, RFC 4959 3)', () => {
    expect(decodeSaslResponse('*')).toEqual({ kind: 'cancel' });
    expect(decodeSaslResponse('=')).toEqual({ kind: 'bytes', bytes: new Uint8Array(0) });
    expect(decodeSaslResponse('not base64!')).toEqual({ kind: 'invalid' });
    expect(decodeSaslResponse('YWxpY2U=\r\n')).toEqual({ kind: 'bytes', bytes: enc('alice') });
  });

  it('parses PLAIN as [authzid] NUL authcid NUL passwd and refuses other shapes (RFC 4616 section 2)', () => {
    expect(parsePlainMessage(enc('\0alice\0practice'))).toEqual({ authzid: '', authcid: 'alice', passwd: 'practice' });
    expect(parsePlainMessage(enc('admin\0alice\0pw'))?.authzid).toBe('admin');
    expect(parsePlainMessage(enc('alice\0practice'))).toBeNull();
    expect(parsePlainMessage(enc('\0\0practice'))).toBeNull();
    expect(parsePlainMessage(enc('\0alice\0'))).toBeNull();
    expect(parsePlainMessage(enc('\0a\0b\0c'))).toBeNull();
    const round = { authzid: '', authcid: 'bøb', passwd: 'pässword' };
    expect(parsePlainMessage(encodePlainMessage(round))).toEqual(round);
  });

  it('finds the challenge in 334 and + lines, and tells the LOGIN user-name prompt apart', () => {
    expect(saslChallenge(`334 ${LOGIN_USERNAME_PROMPT}\r\n`)).toBe('VXNlcm5hbWU6');
    expect(saslChallenge('+ \r\n')).toBe('');
    expect(saslChallenge('+')).toBe('');
    expect(saslChallenge('250 OK')).toBeNull();
    expect(challengeText('VXNlcm5hbWU6')).toBe('Username:');
    expect(asksForUsername('VXNlcm5hbWU6')).toBe(true);
    expect(asksForUsername('UGFzc3dvcmQ6')).toBe(false);
  });
});
