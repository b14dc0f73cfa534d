// POP3 catalog: commands' replies (RFC 1939), CAPA tags and extended response codes (IANA
// "POP3 Extension Mechanism" registry). Explanations are ours.

import { rfc, refFromRegistry, type RfcRef } from '../common/types.ts';
import { POP3_CAPABILITIES, POP3_RESPONSE_CODES } from '../registries/pop3-extension-mechanism.ts';
import { explainSaslMechanism } from '../common/sasl.ts';

export interface Pop3Entry {
  name: string;
  meaning: string;
  rfc: RfcRef;
  registered?: boolean;
}

const IANA = 'https://www.iana.org/assignments/pop3-extension-mechanism';

const CODE_TEXT: Record<string, [string, RfcRef]> = {
  'IN-USE': [
    'Another session holds this mailbox (POP3 locks it while you are logged in); try again when it ends.',
    rfc(2449, '8.1.1'),
  ],
  'LOGIN-DELAY': [
    'You logged in again sooner than the server allows; wait the announced delay before retrying.',
    rfc(2449, '8.1.2'),
  ],
  'SYS/TEMP': ['A temporary system problem on the server; the same command may work later.', rfc(3206, '4')],
  'SYS/PERM': [
    'A permanent system problem on the server; retrying will not help, tell the administrator.',
    rfc(3206, '4'),
  ],
  AUTH: [
    'The problem is your credentials or how you sent them (wrong password, or plaintext login refused without TLS).',
    rfc(3206, '5'),
  ],
  UTF8: ['The message needs UTF-8 support that was not switched on with the UTF8 command.', rfc(6856, '2')],
};

export function explainPop3Code(code: string): Pop3Entry {
  const c = code.toUpperCase();
  const top = c.split('/')[0] === 'SYS' ? c : c.split('/')[0];
  const reg = POP3_RESPONSE_CODES.find((e) => e.code === top);
  const own = CODE_TEXT[top];
  if (own) return { name: c, meaning: own[0], rfc: own[1], registered: !!reg };
  if (reg)
    return {
      name: c,
      meaning: `A registered response code (${reg.ref}).`,
      rfc: refFromRegistry(reg.ref, IANA),
      registered: true,
    };
  return {
    name: c,
    meaning: 'A response code outside the IANA registry, private to this server.',
    rfc: rfc(2449, '8'),
    registered: false,
  };
}

const CAPA_TEXT: Record<string, string> = {
  TOP: 'TOP is available: fetch the headers and the first lines of a message.',
  USER: 'Log in with USER and PASS (a plain password).',
  SASL: 'Log in with AUTH and one of the listed SASL mechanisms.',
  'RESP-CODES': 'Error replies may carry a [CODE] that says what went wrong.',
  'LOGIN-DELAY': 'The server enforces a minimum time between logins (in seconds).',
  PIPELINING: 'You may send several commands without waiting for each answer.',
  EXPIRE: 'Messages are deleted from the server after the given number of days (NEVER = kept).',
  UIDL: 'UIDL is available: each message has a stable unique id across sessions.',
  IMPLEMENTATION: 'The name of the server software (for information only).',
  STLS: 'You can upgrade the connection to TLS with STLS before logging in.',
  'AUTH-RESP-CODE': 'Login errors carry the [AUTH] code when the credentials are at fault.',
  UTF8: 'The UTF8 command switches on UTF-8 user names and messages.',
  LANG: 'The LANG command changes the language of human-readable replies.',
};

export function explainCapa(line: string): Pop3Entry {
  const [tag, ...args] = line.trim().split(/\s+/);
  const t = (tag ?? '').toUpperCase();
  const reg = POP3_CAPABILITIES.find((e) => e.tag === t);
  const own = CAPA_TEXT[t];
  const withArgs = args.length ? ` (${args.join(' ')})` : '';
  if (t === 'SASL' && args.length) {
    const mechs = args
      .map((a) => {
        const m = explainSaslMechanism(a);
        return `${m.name}: ${m.meaning}`;
      })
      .join(' ');
    return {
      name: t,
      meaning: `Log in with AUTH and one of these SASL mechanisms. ${mechs}`,
      rfc: rfc(5034, '3'),
      registered: true,
    };
  }
  if (own || reg)
    return {
      name: t,
      meaning: (own ?? `A registered capability (${reg!.ref}).`) + withArgs,
      rfc: reg ? refFromRegistry(reg.ref, IANA) : rfc(2449, '6'),
      registered: !!reg,
    };
  if (t === 'CAPA')
    return {
      name: t,
      meaning: 'The CAPA command itself (some servers list it).',
      rfc: rfc(2449, '5'),
      registered: false,
    };
  return {
    name: t,
    meaning: t.startsWith('X') ? 'A private extension of this server.' : 'A capability not in the IANA registry.',
    rfc: rfc(2449, '6'),
    registered: false,
  };
}

export const POP3_COMMAND_RFC: Record<string, RfcRef> = {
  USER: rfc(1939, '7'),
  PASS: rfc(1939, '7'),
  APOP: rfc(1939, '7'),
  QUIT: rfc(1939, '5'),
  STAT: rfc(1939, '5'),
  LIST: rfc(1939, '5'),
  RETR: rfc(1939, '5'),
  DELE: rfc(1939, '5'),
  NOOP: rfc(1939, '5'),
  RSET: rfc(1939, '5'),
  TOP: rfc(1939, '7'),
  UIDL: rfc(1939, '7'),
  CAPA: rfc(2449, '5'),
  STLS: rfc(2595, '4'),
  AUTH: rfc(5034, '4'),
  UTF8: rfc(6856, '2'),
  LANG: rfc(6856, '3'),
};
