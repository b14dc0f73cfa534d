// Reads back the text exports mailwire writes (export-text.ts), so `npm run explain` can explain
// them: the RFC style ("C: "/"S: " lines, connection events as "   [...]" notes) and the swaks
// style (" ->"/"<- " in the clear, " ~>"/"<~ " inside TLS, "<**"/"<~*" error replies, "===" notes,
// "***" errors; swaks' own output looks the same). The runnable exports (Python, curl, swaks
// command lines) are programs, not transcripts: they are recognised so the caller can say so. Pure.

export type ExportLine = { dir: 'C' | 'S'; text: string } | { dir: 'TLS' };

export type ReadExport =
  | { kind: 'transcript'; format: string; lines: ExportLine[] }
  | { kind: 'script'; format: string; advice: string }
  | null;

const RFC_NOTE = /^\s+\[(.*)\]\s*$/;
const RFC_LINE = /^([CS]): ?(.*)$/;
const SWAKS_LINE = /^( ->| ~>|<- |<~ |<\*\*|<~\*|===|\*\*\*) ?(.*)$/;

/** A "TLS started" note starts TLS mid-connection (STARTTLS/STLS); "TLS from the first byte" is implicit TLS. */
const startsTls = (note: string) => /^TLS started\b/.test(note);

export function readExport(text: string): ReadExport {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const first = lines.find((l) => l.trim() !== '') ?? '';
  if (/^#!.*python/.test(first) || /^import (smtplib|imaplib|poplib)\b/m.test(text)) {
    return {
      kind: 'script',
      format: 'mailwire Python export',
      advice: 'run it with MAILWIRE_DEBUG=1 and explain what it prints: python3 FILE 2>&1 | npm run explain -- -',
    };
  }
  if (lines.some((l) => /^(curl|swaks) /.test(l)) && !lines.some((l) => RFC_LINE.test(l))) {
    const tool = lines.some((l) => /^swaks /.test(l)) ? 'swaks' : 'curl';
    const advice =
      tool === 'swaks'
        ? "run it and explain swaks' output: bash FILE | npm run explain -- -"
        : 'add --verbose to the curl line, run it, and explain the trace instead';
    return { kind: 'script', format: `mailwire ${tool} export`, advice };
  }
  const rfc =
    lines.some((l) => RFC_NOTE.test(l)) && lines.every((l) => l === '' || RFC_LINE.test(l) || RFC_NOTE.test(l));
  if (rfc) {
    const out: ExportLine[] = [];
    for (const l of lines) {
      const note = RFC_NOTE.exec(l);
      if (note) {
        if (startsTls(note[1]!)) out.push({ dir: 'TLS' });
        continue;
      }
      const m = RFC_LINE.exec(l);
      if (m) out.push({ dir: m[1] as 'C' | 'S', text: m[2]! });
    }
    return { kind: 'transcript', format: 'mailwire C:/S: export', lines: out };
  }
  const swaks = lines.filter((l) => l !== '');
  if (swaks.length && swaks.every((l) => SWAKS_LINE.test(l)) && swaks.some((l) => /^(<- |<~ |<\*\*|<~\*)/.test(l))) {
    const out: ExportLine[] = [];
    for (const l of swaks) {
      const [, mark = '', rest = ''] = SWAKS_LINE.exec(l)!;
      if (mark === '===') {
        if (startsTls(rest)) out.push({ dir: 'TLS' });
      } else if (mark === ' ->' || mark === ' ~>') out.push({ dir: 'C', text: rest });
      else if (mark !== '***') out.push({ dir: 'S', text: rest });
    }
    return { kind: 'transcript', format: 'swaks-style transcript', lines: out };
  }
  return null;
}
