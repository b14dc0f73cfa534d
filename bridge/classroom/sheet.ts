// The printable class sheet, DATA_DIR/class/sheet.html: one slip per student to cut out and hand
// over (name, page address, account, password, partner), and the teacher's slip. A plain file
// the teacher opens and prints; no script, nothing fetched.
import path from 'node:path';
import { writeFileDurably } from './durable.ts';
import { ECHO_ACCOUNT, partnerOf, type Roster, type RosterEntry } from './roster.ts';

export interface SheetContext {
  roster: Roster;
  domain: string;
  /** The page address students type (the --public-url when there is one). */
  pageUrl: string;
  /** "host:port" lines for students' own programs (only with --practice-host). */
  ownPrograms: string[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function sheetFile(dataDir: string): string {
  return path.join(dataDir, 'class', 'sheet.html');
}

function slip(e: RosterEntry, ctx: SheetContext, partner: string | null): string {
  const rows = [
    ['Open', ctx.pageUrl],
    ['Account', `${e.account}@${ctx.domain}`],
    ['Password', e.password],
    ...(partner ? [['Write to', `${partner}@${ctx.domain} (and ${ECHO_ACCOUNT}@${ctx.domain} answers everyone)`]] : []),
    ...ctx.ownPrograms.map((p) => ['Your programs', p]),
  ];
  const table = rows
    .map(([k, v]) => `<tr><th>${esc(k!)}</th><td${k === 'Password' ? ' class="pw"' : ''}>${esc(v!)}</td></tr>`)
    .join('');
  return `<section class="slip"><h2>${esc(e.name)}</h2><table>${table}</table></section>`;
}

export function classSheetHtml(ctx: SheetContext): string {
  const slips = ctx.roster.students.map((s) => slip(s, ctx, partnerOf(ctx.roster, s.account)));
  const teacher = slip(ctx.roster.teacher, { ...ctx, pageUrl: `${ctx.pageUrl.replace(/\/?$/, '/')}#/teacher` }, null);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mailwire class sheet</title>
<style>
body { font: 12pt/1.4 system-ui, sans-serif; margin: 1cm; }
.slips { display: grid; grid-template-columns: 1fr 1fr; gap: 0; }
.slip { border: 1px dashed #555; padding: 0.4cm 0.5cm; break-inside: avoid; }
.slip h2 { font-size: 13pt; margin: 0 0 0.2cm; }
th { text-align: left; font-weight: normal; color: #444; padding-right: 0.4cm; vertical-align: top; }
.pw { font: bold 15pt ui-monospace, monospace; letter-spacing: 0.08em; }
.teacher { margin-top: 1cm; break-before: page; }
@media print { .note { display: none; } }
</style></head><body>
<p class="note">Print this page and cut along the dashed lines: one slip per student. Passwords have no 0, O, 1 or l.
The same list is in roster.csv beside this file.</p>
<div class="slips">${slips.join('\n')}</div>
<div class="teacher">${teacher}</div>
</body></html>
`;
}

export async function writeClassSheet(dataDir: string, ctx: SheetContext): Promise<string> {
  const file = sheetFile(dataDir);
  await writeFileDurably(file, classSheetHtml(ctx));
  return file;
}
