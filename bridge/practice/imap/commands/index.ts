// Command name -> handler, one module per command group.
import type { CommandHandler } from '../session.ts';
import { appendCommand } from './append.ts';
import { authenticateCommand, loginCommand, starttlsCommand } from './auth.ts';
import { capabilityCommand, enableCommand, idCommand, logoutCommand, noopCommand } from './any.ts';
import { copyCommand, moveCommand } from './copy.ts';
import { fetchCommand } from './fetch.ts';
import { idleCommand } from './idle.ts';
import {
  createCommand,
  deleteCommand,
  listCommand,
  lsubCommand,
  namespaceCommand,
  renameCommand,
  subscribeCommand,
  unsubscribeCommand,
} from './mailboxes.ts';
import { notifyCommand } from './notify.ts';
import { getQuotaCommand, getQuotaRootCommand, setQuotaCommand } from './quota.ts';
import { cancelUpdateCommand, searchCommand } from './search.ts';
import { sortCommand, threadCommand } from './sort.ts';
import {
  checkCommand,
  closeCommand,
  examineCommand,
  expungeCommand,
  selectCommand,
  unselectCommand,
} from './select.ts';
import { statusCommand } from './status.ts';
import { storeCommand } from './store.ts';

export const COMMANDS: Record<string, CommandHandler> = {
  CAPABILITY: capabilityCommand,
  NOOP: noopCommand,
  LOGOUT: logoutCommand,
  ID: idCommand,
  ENABLE: enableCommand,
  STARTTLS: starttlsCommand,
  LOGIN: loginCommand,
  AUTHENTICATE: authenticateCommand,
  SELECT: selectCommand,
  EXAMINE: examineCommand,
  CREATE: createCommand,
  DELETE: deleteCommand,
  RENAME: renameCommand,
  SUBSCRIBE: subscribeCommand,
  UNSUBSCRIBE: unsubscribeCommand,
  LIST: listCommand,
  LSUB: lsubCommand,
  NAMESPACE: namespaceCommand,
  STATUS: statusCommand,
  APPEND: appendCommand,
  CHECK: checkCommand,
  CLOSE: closeCommand,
  UNSELECT: unselectCommand,
  EXPUNGE: expungeCommand,
  SEARCH: searchCommand,
  CANCELUPDATE: cancelUpdateCommand,
  SORT: sortCommand,
  THREAD: threadCommand,
  FETCH: fetchCommand,
  STORE: storeCommand,
  COPY: copyCommand,
  MOVE: moveCommand,
  IDLE: idleCommand,
  NOTIFY: notifyCommand,
  GETQUOTAROOT: getQuotaRootCommand,
  GETQUOTA: getQuotaCommand,
  SETQUOTA: setQuotaCommand,
};
