import { describe, expect, it } from 'vitest';
import {
  authPlain,
  base64,
  checkCredentials,
  decodeChallenge,
  hexBytes,
  LOGIN_PASSWORD_PROMPT,
  LOGIN_USERNAME_PROMPT,
  loginSteps,
  plainSteps,
} from '../../../../app/src/ui/console/auth-helper.ts';
import { createSecretDetector, MASK } from '../../../../app/src/transcript/mask.ts';

describe('AUTH PLAIN (RFC 4616)', () => {
  it('builds \\0user\\0password and its base64, each part labelled', () => {
    const p = authPlain('alice', 'practice');
    expect(p.base64).toBe('AGFsaWNlAHByYWN0aWNl');
    // Independent check against Node's encoder.
    expect(p.base64).toBe(Buffer.from('\0alice\0practice').toString('base64'));
    expect(p.parts.map((x) => x.label)).toEqual(['NUL', 'authcid', 'NUL', 'passwd']);
    expect(p.parts.filter((x) => x.secret).map((x) => x.shown)).toEqual(['practice']);
    expect(hexBytes(p.bytes).startsWith('00 61 6c 69 63 65 00 70')).toBe(true);
  });

  it('puts an authorization identity first and encodes UTF-8', () => {
    const p = authPlain('jöe', 'pässword', 'admin');
    expect(p.parts[0]).toMatchObject({ label: 'authzid', shown: 'admin' });
    expect(p.base64).toBe(Buffer.from('admin\0jöe\0pässword', 'utf8').toString('base64'));
  });

  it('refuses empty fields and NUL inside a field with stable codes', () => {
    expect(checkCredentials('', 'x')?.code).toBe('AUTH_EMPTY_USER');
    expect(checkCredentials('a', '')?.code).toBe('AUTH_EMPTY_PASSWORD');
    expect(checkCredentials('a\0b', 'x')?.code).toBe('AUTH_NUL_IN_FIELD');
    expect(checkCredentials('alice', 'practice')).toBeNull();
  });
});

describe('the AUTH lines for each protocol', () => {
  it('SMTP and POP3 send PLAIN with an initial response; IMAP waits for "+" unless SASL-IR', () => {
    expect(plainSteps('smtp', 'alice', 'practice').map((s) => s.line)).toEqual(['AUTH PLAIN AGFsaWNlAHByYWN0aWNl']);
    expect(plainSteps('pop3', 'alice', 'practice').map((s) => s.line)).toEqual(['AUTH PLAIN AGFsaWNlAHByYWN0aWNl']);
    expect(plainSteps('imap', 'alice', 'practice', { tag: 'a7' }).map((s) => [s.after, s.line])).toEqual([
      [null, 'a7 AUTHENTICATE PLAIN'],
      ['+', 'AGFsaWNlAHByYWN0aWNl'],
    ]);
    expect(plainSteps('imap', 'alice', 'practice', { tag: 'a7', initialResponse: true })[0].line).toBe(
      'a7 AUTHENTICATE PLAIN AGFsaWNlAHByYWN0aWNl',
    );
  });

  it('LOGIN answers the 334 Username:/Password: challenges with base64', () => {
    expect(LOGIN_USERNAME_PROMPT).toBe('VXNlcm5hbWU6');
    expect(LOGIN_PASSWORD_PROMPT).toBe('UGFzc3dvcmQ6');
    const steps = loginSteps('smtp', 'alice', 'practice');
    expect(steps.map((s) => [s.after, s.line, s.secret])).toEqual([
      [null, 'AUTH LOGIN', false],
      ['334 VXNlcm5hbWU6', 'YWxpY2U=', false],
      ['334 UGFzc3dvcmQ6', 'cHJhY3RpY2U=', true],
    ]);
    expect(decodeChallenge('VXNlcm5hbWU6')).toBe('Username:');
    expect(decodeChallenge('not base64!')).toBeNull();
    expect(base64('practice')).toBe(Buffer.from('practice').toString('base64'));
  });

  it('the lines it builds are the ones the transcript masks', () => {
    const enc = new TextEncoder();
    const mask = (det: ReturnType<typeof createSecretDetector>, line: string) => {
      const bytes = enc.encode(`${line}\r\n`);
      const ranges = det.sent(bytes);
      let out = line;
      for (const r of [...ranges].reverse()) out = out.slice(0, r.start) + MASK + out.slice(r.end);
      return out;
    };
    const smtp = createSecretDetector('smtp');
    expect(mask(smtp, plainSteps('smtp', 'alice', 'practice')[0].line)).toBe(`AUTH PLAIN ${MASK}`);

    const login = createSecretDetector('smtp');
    const [cmd, user, pass] = loginSteps('smtp', 'alice', 'practice');
    expect(mask(login, cmd.line)).toBe('AUTH LOGIN');
    login.received(enc.encode('334 VXNlcm5hbWU6\r\n'));
    expect(mask(login, user.line)).toBe('YWxpY2U=');
    login.received(enc.encode('334 UGFzc3dvcmQ6\r\n'));
    expect(mask(login, pass.line)).toBe(MASK);
  });
});
