// The page's side of POST /api/practice/reset: send it, and turn the answer (or the refusal)
// into one sentence for the learner. No DOM here; the component shows what this returns.

export interface ResetAnswer {
  reset: true;
  messages: number;
  accounts: Array<{ username: string; address: string; messages: number; mailboxes: string[] }>;
}

export type ResetOutcome = { ok: true; text: string; answer: ResetAnswer } | { ok: false; text: string };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "Removed 5 messages: alice 3 (and 1 mailbox), bob 2. Each INBOX has a fresh welcome message." */
export function describeReset(answer: ResetAnswer): string {
  const touched = answer.accounts.filter((a) => a.messages > 0 || a.mailboxes.length > 0);
  const parts = touched
    .slice(0, 8)
    .map(
      (a) =>
        `${a.username} ${a.messages}${a.mailboxes.length ? ` (and ${plural(a.mailboxes.length, 'mailbox')})` : ''}`,
    );
  if (touched.length > parts.length) parts.push(`${touched.length - parts.length} more accounts`);
  const list = parts.length ? `: ${parts.join(', ')}` : '';
  return `Removed ${plural(answer.messages, 'message')}${list}. Each INBOX has a fresh welcome message.`;
}

/** Asks the bridge that served this page to reset the practice mailboxes. Never throws. */
export async function requestPracticeReset(fetchFn: typeof fetch = fetch): Promise<ResetOutcome> {
  let res: Response;
  try {
    res = await fetchFn('/api/practice/reset', { method: 'POST' });
  } catch {
    return { ok: false, text: 'The mailwire server could not be reached; is it still running?' };
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: the page was served by something else (vite dev alone)
  }
  if (res.ok && body && (body as ResetAnswer).reset === true) {
    const answer = body as ResetAnswer;
    return { ok: true, text: describeReset(answer), answer };
  }
  const error = body as { code?: unknown; message?: unknown } | null;
  if (error && typeof error.message === 'string')
    return { ok: false, text: `${String(error.code ?? res.status)}: ${error.message}` };
  return { ok: false, text: `The reset failed (HTTP ${res.status}); this page may not be served by mailwire.` };
}
