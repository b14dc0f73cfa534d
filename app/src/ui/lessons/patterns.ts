// What a command step asks the learner to type, as a pattern (`MAIL FROM:<sender@example.org>`),
// taken from the protocol's own command list (app/src/protocols/*/commands.ts) so the lesson text
// and the console's syntax hint never disagree. Pure: no DOM.

import { imap, pop3, smtp, type CommandInfo } from '../../protocols/index.ts';
import type { Step } from '../../lessons/index.ts';

export interface CommandPattern {
  syntax: string;
  summary: string;
  rfc: CommandInfo['rfc'];
}

/** The command of one line of a send block, looked up in the step's protocol; undefined for message text. */
function commandOf(protocol: Step['protocol'], line: string): CommandInfo | undefined {
  const words = line.trim().split(/\s+/);
  if (protocol === 'smtp') return smtp.smtpCommand(words[0] ?? '');
  if (protocol === 'pop3') return pop3.pop3Command(words[0] ?? '');
  // IMAP: the first word is the tag (RFC 9051 section 2.2.1); UID FETCH and friends are named by UID.
  if (protocol === 'imap') return imap.imapCommand(words[1] ?? '');
  return undefined;
}

/**
 * The patterns for a command step, one per distinct command in its send block, in order. Lines that
 * are not commands (a DATA body, a literal) add nothing; `dataBody` says the block carries one.
 */
export function commandPatterns(step: Step): { patterns: CommandPattern[]; dataBody: boolean } {
  if (step.kind !== 'command' || step.send === null) return { patterns: [], dataBody: false };
  const patterns: CommandPattern[] = [];
  let dataBody = false;
  let inData = false;
  for (const line of step.send.split('\n')) {
    if (inData) {
      if (line === '.') inData = false;
      dataBody = true;
      continue;
    }
    const info = commandOf(step.protocol, line);
    if (!info) {
      dataBody = true; // a step that continues an earlier DATA or literal
      continue;
    }
    if (step.protocol === 'smtp' && info.name === 'DATA') inData = step.send.split('\n').length > 1;
    if (!patterns.some((p) => p.syntax === info.syntax)) patterns.push({ syntax: info.syntax, summary: info.summary, rfc: info.rfc });
  }
  return { patterns, dataBody };
}
