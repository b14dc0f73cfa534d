// SEARCH and UID SEARCH (RFC 3501 sections 6.4.4, 6.4.8). Header keys match decoded header text,
// BODY/TEXT match the decoded text of the message (postal-mime), all case-insensitively.
import PostalMime, { decodeWords } from 'postal-mime';
import { parseAddressList } from '../envelope.ts';
import { parseMimeStructure } from '../mime-structure.ts';
import { matches, needsContent, parseSearch, type SearchCandidate } from '../search.ts';
import type { CommandHandler } from '../session.ts';

export const searchCommand: CommandHandler = async (session, cmd) => {
  const view = session.selected!;
  const key = parseSearch(cmd.args);
  const content = needsContent(key);
  const metas = view.metas();
  const maxSeq = view.uids.length;
  const maxUid = view.uids[maxSeq - 1] ?? 0;
  const hits: number[] = [];
  for (let i = 0; i < view.uids.length; i++) {
    const uid = view.uids[i];
    const meta = metas.get(uid);
    if (!meta) continue;
    const candidate: SearchCandidate = {
      seq: i + 1, uid, flags: meta.flags, recent: view.recent.has(uid), internalDate: meta.internalDate, size: meta.size, maxSeq, maxUid,
    };
    if (content) {
      const raw = await view.mailbox.read(uid);
      if (!raw) continue;
      const root = parseMimeStructure(raw);
      const parsed = await PostalMime.parse(raw);
      const body = `${parsed.text ?? ''}\n${(parsed.html ?? '').replace(/<[^>]*>/g, ' ')}`.toLowerCase();
      const headerText = (field: string) => {
        const values = root.headers.filter((h) => h.name.toLowerCase() === field).map((h) => decodeWords(h.value));
        if (!values.length) return null;
        // FROM/TO/CC/BCC also match the addresses as parsed, without comments or white space
        // inside them (RFC 5322 section 3.4), as Dovecot does: "<u (c)@ (c) d.org>" is u@d.org.
        if (ADDRESS_FIELDS.has(field)) values.push(...values.flatMap(addressForms));
        return values.join('\n').toLowerCase();
      };
      candidate.root = root;
      candidate.headerText = headerText;
      candidate.bodyText = body;
      candidate.fullText = `${root.headers.map((h) => `${h.name}: ${decodeWords(h.value)}`).join('\n').toLowerCase()}\n${body}`;
    }
    if (matches(key, candidate)) hits.push(cmd.uid ? uid : i + 1);
  }
  session.untagged(`SEARCH${hits.length ? ' ' + hits.join(' ') : ''}`);
  return { status: 'OK', text: 'SEARCH completed.' };
};

const ADDRESS_FIELDS = new Set(['from', 'sender', 'reply-to', 'to', 'cc', 'bcc']);

/** "Name <mailbox@host>" for each address of a header value; group markers are left out. */
function addressForms(value: string): string[] {
  return parseAddressList(value)
    .filter((a) => !a.group && a.mailbox)
    .map((a) => `${a.name ? a.name + ' ' : ''}<${a.mailbox}${a.host ? '@' + a.host : ''}>`);
}
