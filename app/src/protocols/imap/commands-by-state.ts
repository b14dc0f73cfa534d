// Which IMAP commands each state allows (RFC 9051 sections 6.1-6.4; RFC 3501 for LSUB and CHECK),
// with the registered extensions the practice server implements: SORT and THREAD (RFC 5256
// section 3), the QUOTA commands (RFC 9208 section 4.1), CANCELUPDATE (RFC 5267), NOTIFY (RFC 5465
// section 3.1). One table for the console's warnings and the practice server's dispatch, so the
// two cannot disagree.
export const ANY_STATE = ['CAPABILITY', 'NOOP', 'LOGOUT', 'ID'] as const;
export const NOT_AUTHENTICATED = ['STARTTLS', 'LOGIN', 'AUTHENTICATE'] as const;
export const QUOTA_COMMANDS = ['GETQUOTAROOT', 'GETQUOTA', 'SETQUOTA'] as const;
export const AUTHENTICATED = [
  'ENABLE',
  'SELECT',
  'EXAMINE',
  'CREATE',
  'DELETE',
  'RENAME',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'LIST',
  'LSUB',
  'STATUS',
  'APPEND',
  'NAMESPACE',
  'IDLE',
  'NOTIFY',
  ...QUOTA_COMMANDS,
] as const;
export const SELECTED = [
  'CHECK',
  'CLOSE',
  'UNSELECT',
  'EXPUNGE',
  'SEARCH',
  'SORT',
  'THREAD',
  'FETCH',
  'STORE',
  'COPY',
  'MOVE',
  'CANCELUPDATE',
] as const;
