// The QUOTA extension (RFC 9208): GETQUOTAROOT and GETQUOTA report, SETQUOTA is refused. Each
// account has one quota root, named "" (section 3.2), over all its mailboxes, with one resource:
// STORAGE, the octets of its messages in units of 1024 (section 5.1), limit set by --quota.
// APPEND, COPY and MOVE that do not fit get NO [OVERQUOTA] from the store (section 4.3.1).
import { mailboxName, str } from '../encode.ts';
import { mailboxArg } from '../names.ts';
import { astring, expectArgs } from '../parser.ts';
import type { CommandHandler, Session } from '../session.ts';

/** Capabilities: QUOTA, and the one resource this server counts (RFC 9208 sections 3.1 and 5.1). */
export const QUOTA_CAPABILITIES = ['QUOTA', 'QUOTA=RES-STORAGE'];
const ROOT = '';

/**
 * `* QUOTA "" (STORAGE used limit)` in 1024-octet units (section 4.2.1); no limit, no resource. The
 * usage rounds up and the limit down, as Dovecot does: a part-used unit is used.
 */
function sendQuota(session: Session): void {
  const { used, limit } = session.accountStore!.quota();
  const resources = limit > 0 ? `STORAGE ${Math.ceil(used / 1024)} ${Math.floor(limit / 1024)}` : '';
  session.untagged(['QUOTA ', ...str(ROOT), ` (${resources})`]);
}

/** GETQUOTAROOT mailbox (section 4.1.2): the roots of the mailbox, then each root's QUOTA. */
export const getQuotaRootCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 1, 1, 'GETQUOTAROOT mailbox');
  const { wire, name } = mailboxArg(cmd.args[0], 'a mailbox name', session.utf8Names);
  const mailbox = session.accountStore!.mailbox(name);
  if (!mailbox)
    return {
      status: 'NO',
      code: 'NONEXISTENT',
      text: `There is no mailbox "${wire}"; LIST shows the ones that exist.`,
    };
  session.untagged(['QUOTAROOT ', ...mailboxName(mailbox.name, session.utf8Names), ' ', ...str(ROOT)]);
  sendQuota(session);
  return { status: 'OK', text: 'GETQUOTAROOT completed; every mailbox of this account shares the quota root "".' };
};

/** GETQUOTA root (section 4.1.1). */
export const getQuotaCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 1, 1, 'GETQUOTA quota-root');
  const root = astring(cmd.args[0], 'a quota root (GETQUOTAROOT INBOX names it)');
  if (root !== ROOT) {
    return {
      status: 'NO',
      code: 'NONEXISTENT',
      text: `There is no quota root "${root.slice(0, 60)}"; this account has one, "" (try GETQUOTA "").`,
    };
  }
  sendQuota(session);
  return { status: 'OK', text: 'GETQUOTA completed.' };
};

/**
 * SETQUOTA (section 4.1.3) needs the QUOTASET capability, which this server does not announce: the
 * limit is the teacher's (--quota), not the learner's. The arguments are still checked first.
 */
export const setQuotaCommand: CommandHandler = async (session, cmd) => {
  expectArgs(cmd.args, 2, 2, 'SETQUOTA quota-root (STORAGE limit)');
  astring(cmd.args[0], 'a quota root');
  if (cmd.args[1].type !== 'list')
    return { status: 'BAD', text: 'SETQUOTA takes a list of resource limits, such as (STORAGE 512).' };
  return {
    status: 'NO',
    code: 'NOPERM',
    text: 'SETQUOTA is refused: the quota is set by whoever started mailwire (--quota), and QUOTASET is not offered.',
  };
};
