// IANA registry "POP3 Extension Mechanism" (https://www.iana.org/assignments/pop3-extension-mechanism):
// its two tables, POP3 capabilities (CAPA tags) and POP3 response codes.
// Retrieved 2026-11-25 through the project's stored copy of the registry page.
// Data only: the learner-facing sentences live in pop3/catalog.ts.

export interface Pop3CapaEntry {
  tag: string;
  args: string;
  addedCommands: string;
  validIn: string;
  ref: string;
}
export interface Pop3RespCodeEntry {
  code: string;
  responses: string;
  commands: string;
  ref: string;
}

export const POP3_CAPABILITIES: Pop3CapaEntry[] = [
  { tag: 'TOP', args: 'none', addedCommands: 'TOP', validIn: 'TRANSACTION', ref: 'RFC 2449' },
  { tag: 'USER', args: 'none', addedCommands: 'USER, PASS', validIn: 'AUTHORIZATION', ref: 'RFC 2449' },
  { tag: 'SASL', args: 'mechanism list', addedCommands: 'AUTH', validIn: 'AUTHORIZATION', ref: 'RFC 5034' },
  { tag: 'RESP-CODES', args: 'none', addedCommands: 'none', validIn: 'n/a', ref: 'RFC 2449' },
  { tag: 'LOGIN-DELAY', args: 'seconds, USER', addedCommands: 'none', validIn: 'n/a', ref: 'RFC 2449' },
  { tag: 'PIPELINING', args: 'none', addedCommands: 'none', validIn: 'n/a', ref: 'RFC 2449' },
  { tag: 'EXPIRE', args: 'days, NEVER, USER', addedCommands: 'none', validIn: 'n/a', ref: 'RFC 2449' },
  { tag: 'UIDL', args: 'none', addedCommands: 'UIDL', validIn: 'TRANSACTION', ref: 'RFC 2449' },
  { tag: 'IMPLEMENTATION', args: 'text', addedCommands: 'none', validIn: 'n/a', ref: 'RFC 2449' },
  { tag: 'STLS', args: 'none', addedCommands: 'STLS', validIn: 'AUTHORIZATION', ref: 'RFC 2595' },
  { tag: 'AUTH-RESP-CODE', args: 'none', addedCommands: 'none', validIn: 'n/a', ref: 'RFC 3206' },
  { tag: 'UTF8', args: 'USER', addedCommands: 'UTF8', validIn: 'AUTHORIZATION', ref: 'RFC 6856' },
  { tag: 'LANG', args: 'none', addedCommands: 'LANG', validIn: 'AUTHORIZATION TRANSACTION', ref: 'RFC 6856' },
];

export const POP3_RESPONSE_CODES: Pop3RespCodeEntry[] = [
  { code: 'LOGIN-DELAY', responses: '-ERR', commands: 'USER, PASS, APOP, AUTH', ref: 'RFC 2449' },
  { code: 'IN-USE', responses: '-ERR', commands: 'PASS, APOP, AUTH', ref: 'RFC 2449' },
  { code: 'SYS/PERM', responses: '-ERR', commands: 'all', ref: 'RFC 3206' },
  { code: 'SYS/TEMP', responses: '-ERR', commands: 'all', ref: 'RFC 3206' },
  { code: 'AUTH', responses: '-ERR', commands: 'USER, PASS, APOP, AUTH', ref: 'RFC 3206' },
  { code: 'UTF8', responses: '-ERR', commands: 'LIST, TOP, RETR', ref: 'RFC 6856' },
];
