import { describe, expect, it } from 'vitest';
import { commandSecrets, maskRanges, saslAnswerIsSecret } from '../../../../app/src/protocols/common/secrets.ts';
import { maskImapCommand } from '../../../../app/src/protocols/imap/index.ts';
import { maskPop3Command } from '../../../../app/src/protocols/pop3/index.ts';
import { maskSmtpCommand } from '../../../../app/src/protocols/smtp/index.ts';
import { createConsole } from '../../../../app/src/protocols/index.ts';
import { createSecretDetector } from '../../../../app/src/transcript/mask.ts';

const shown = (protocol: 'smtp' | 'imap' | 'pop3', line: string) =>
  maskRanges(line, commandSecrets(protocol, line), '#');

describe('what counts as a credential', () => {
  it('masks passwords, APOP digests and SASL initial responses, not user names or "="', () => {
    expect(shown('smtp', 'AUTH PLAIN AGFsaWNlAHByYWN0aWNl')).toBe('AUTH PLAIN #');
    expect(shown('smtp', 'AUTH LOGIN YWxpY2U=')).toBe('AUTH LOGIN YWxpY2U=');
    expect(shown('smtp', 'AUTH PLAIN =')).toBe('AUTH PLAIN =');
    expect(shown('imap', 'a1 LOGIN alice "pr ac"')).toBe('a1 LOGIN alice #');
    expect(shown('imap', 'a1 AUTHENTICATE PLAIN AGFsaWNlAHA=')).toBe('a1 AUTHENTICATE PLAIN #');
    expect(shown('pop3', 'PASS practice')).toBe('PASS #');
    expect(shown('pop3', 'APOP alice c4c9334bac560ecc979e58001b3e22fb')).toBe('APOP alice #');
    expect(shown('pop3', 'USER alice')).toBe('USER alice');
  });

  it('treats "*" and the answer to "Username:" as not secret', () => {
    expect(saslAnswerIsSecret('VXNlcm5hbWU6', 'YWxpY2U=')).toBe(false);
    expect(saslAnswerIsSecret('UGFzc3dvcmQ6', 'cHJhY3RpY2U=')).toBe(true);
    expect(saslAnswerIsSecret('', '*')).toBe(false);
  });
});

describe('the console and the transcript mask the same command lines', () => {
  const lines: Array<['smtp' | 'imap' | 'pop3', string]> = [
    ['smtp', 'AUTH PLAIN AGFsaWNlAHByYWN0aWNl'],
    ['smtp', 'AUTH LOGIN YWxpY2U='],
    ['smtp', 'AUTH PLAIN ='],
    ['smtp', 'MAIL FROM:<alice@practice.test>'],
    ['imap', 'a1 LOGIN alice practice'],
    ['imap', 'a2 AUTHENTICATE PLAIN AGFsaWNlAHByYWN0aWNl'],
    ['imap', 'a3 AUTHENTICATE LOGIN YWxpY2U='],
    ['pop3', 'PASS practice'],
    ['pop3', 'AUTH PLAIN AGFsaWNlAHByYWN0aWNl'],
    ['pop3', 'USER alice'],
  ];
  for (const [protocol, line] of lines) {
    it(`${protocol}: ${line}`, () => {
      const bytes = new TextEncoder().encode(`${line}\r\n`);
      const ranges = createSecretDetector(protocol).sent(bytes);
      const transcript = maskRanges(line, ranges, '••••••');
      const [verb, ...rest] = line.split(' ');
      const console =
        protocol === 'smtp'
          ? maskSmtpCommand({ verb: verb!.toUpperCase(), line, args: rest.join(' ') })
          : protocol === 'imap'
            ? maskImapCommand({
                tag: verb!,
                name: rest[0]!.toUpperCase(),
                args: rest.slice(1).join(' '),
                line,
              } as never)
            : maskPop3Command(line, verb!.toUpperCase());
      expect(console).toBe(transcript);
    });
  }
});

describe('SASL answers: the console and the transcript agree', () => {
  const exchange = (protocol: 'smtp' | 'pop3', prompt: string, ok: string) => {
    const c = createConsole(protocol);
    const detector = createSecretDetector(protocol);
    const enc = (s: string) => new TextEncoder().encode(s);
    const labels: string[] = [];
    const transcript: string[] = [];
    const greeting = protocol === 'smtp' ? '220 ready\r\n' : '+OK ready\r\n';
    c.received(enc(greeting));
    detector.received(enc(greeting));
    const steps: Array<[string, string]> = [
      ['AUTH LOGIN', `${prompt} VXNlcm5hbWU6`],
      ['YWxpY2U=', `${prompt} UGFzc3dvcmQ6`],
      ['cHJhY3RpY2U=', ok],
    ];
    for (const [line, reply] of steps) {
      c.sent(`${line}\r\n`);
      transcript.push(maskRanges(line, detector.sent(enc(`${line}\r\n`)), '••••••'));
      for (const r of c.received(enc(`${reply}\r\n`))) labels.push(r.command ?? '');
      detector.received(enc(`${reply}\r\n`));
    }
    return { labels, transcript };
  };

  it('SMTP: the answer to "Username:" is shown, the password is masked, in both', () => {
    const { labels, transcript } = exchange('smtp', '334', '235 2.7.0 Authentication successful');
    expect(labels).toEqual(transcript);
    expect(labels).toEqual(['AUTH LOGIN', 'YWxpY2U=', '••••••']);
  });

  it('POP3: the same', () => {
    const { labels, transcript } = exchange('pop3', '+', '+OK logged in');
    expect(labels).toEqual(transcript);
    expect(labels[2]).toBe('••••••');
  });
});
