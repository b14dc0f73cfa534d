// Regenerates app/src/lessons/rfc-sections.ts from RFC plain texts: every numbered section heading
// of each RFC found in the folder given (rfcNNNN.txt), with its title as the RFC writes it. An RFC
// of the table whose text is not in the folder keeps its current entry (source 'toc'). No network:
// the texts are gathered beforehand (the table's header says from where).
//   npx tsx test/tools/rfc-sections.ts /path/to/rfc-texts [2177,4959,...]   (RFCs to add to the table)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RFC_SECTIONS, type RfcEntry } from '../../app/src/lessons/rfc-sections.ts';

const OUT = fileURLToPath(new URL('../../app/src/lessons/rfc-sections.ts', import.meta.url));

/** A page break: the footer line, the form feed, the running header. */
const PAGE_LINE = /^(RFC \d+ .*\S\s+\w+ \d{4}|.*\[Page \d+\])$|\f/;

/** The numbered headings of an RFC's body: "6.3.11.  STATUS Command", "3.1 Client use of pipelining". */
export function sectionsOf(text: string): Record<string, string> {
  const lines = text.split(/\r?\n/).filter((l) => !PAGE_LINE.test(l));
  const out: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // A heading starts in column 0; a table-of-contents line has dot leaders or a page number.
    const m =
      /^(\d+(?:\.\d+)*)\.?\s+(\S.*?)\s*$/.exec(line) ??
      /^Appendix ([A-Z])\.?\s+(\S.*?)\s*$/.exec(line) ??
      /^([A-Z](?:\.\d+)+)\.?\s+(\S.*?)\s*$/.exec(line);
    if (!m || /\.{3,}|\s{2,}\d+$/.test(line)) continue;
    let title = m[2].replace(/^-+\s*/, '');
    // A long title goes on in the next line, indented to where the title began, before a blank line.
    const next = lines[i + 1] ?? '';
    const indent = line.length - line.slice(m[1].length).replace(/^\.?\s+/, '').length;
    if (/^\s+\S/.test(next) && next.search(/\S/) === indent && (lines[i + 2] ?? '').trim() === '') {
      title += ' ' + next.trim();
    }
    const appendix = /^[A-Z]/.test(m[1]);
    const key = appendix ? `Appendix ${m[1]}` : m[1];
    const depth = key.split('.').length;
    // A number in column 0 inside prose or an example is no heading: its parent must be there.
    const parent = key.split('.').slice(0, -1).join('.');
    if (depth > 1 && !(parent in out)) continue;
    if (!(key in out)) out[key] = title.replace(/\s+/g, ' ');
  }
  return out;
}

/**
 * The sections listed in an RFC's table of contents, copied verbatim into rfcNNNN.toc.txt when only
 * that part of the text could be had: "   3.1  Other or Undefined Status .......6".
 */
export function sectionsOfToc(toc: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of toc.split(/\r?\n/)) {
    const m =
      /^\s*(\d+(?:\.\d+)*)\.?\s+(\S.*?)\s*\.{2,}\s*\d+$/.exec(line) ??
      /^\s*Appendix ([A-Z])[.\s-]+(\S.*?)\s*\.{2,}\s*\d+$/.exec(line);
    if (m) out[/^[A-Z]$/.test(m[1]) ? `Appendix ${m[1]}` : m[1]] = m[2].replace(/\s+/g, ' ');
  }
  return out;
}

/** The title centred under the RFC's header block (one or two lines). */
export function titleOf(text: string): string {
  const lines = text.split(/\r?\n/);
  let i = lines.findIndex((l) => /^(Request for Comments|RFC):?\s/i.test(l));
  while (i < lines.length && lines[i].trim() !== '') i++;
  while (i < lines.length && lines[i].trim() === '') i++;
  const title: string[] = [];
  while (i < lines.length && lines[i].trim() !== '') title.push(lines[i++].trim());
  return title.join(' ');
}

function entrySource(n: number, e: RfcEntry): string {
  const q = (s: string) => JSON.stringify(s);
  const body = Object.entries(e.sections)
    .map(([k, v]) => `      ${q(k)}: ${q(v)},`)
    .join('\n');
  return [
    `  ${n}: {`,
    `    title: ${q(e.title)},`,
    `    source: '${e.source}',`,
    ...(e.obsoletedBy ? [`    obsoletedBy: ${e.obsoletedBy},`] : []),
    `    sections: {${body ? '\n' + body + '\n    ' : ''}},`,
    `  },`,
  ].join('\n');
}

/** What changed against the table as it was: sections gone, titles corrected. */
function report(n: number, old: RfcEntry, sections: Record<string, string>): void {
  const lost = Object.keys(old.sections).filter((k) => !(k in sections));
  if (lost.length) console.log(`RFC ${n}: sections of the old table not in the RFC: ${lost.join(', ')}`);
  const changed = Object.keys(old.sections).filter((k) => k in sections && sections[k] !== old.sections[k]);
  for (const k of changed) console.log(`RFC ${n} ${k}: "${old.sections[k]}" -> "${sections[k]}"`);
}

function main(dir: string, add: number[]): void {
  const entries: [number, RfcEntry][] = [];
  // RFCs the code cites that the table does not hold yet, read from their texts.
  for (const n of add) {
    if (RFC_SECTIONS[n]) continue;
    const text = readFileSync(join(dir, `rfc${String(n).padStart(4, '0')}.txt`), 'latin1');
    entries.push([n, { title: titleOf(text), source: 'text', sections: sectionsOf(text) }]);
  }
  for (const [num, old] of Object.entries(RFC_SECTIONS)) {
    const n = Number(num);
    const file = join(dir, `rfc${String(n).padStart(4, '0')}.txt`);
    const tocFile = join(dir, `rfc${String(n).padStart(4, '0')}.toc.txt`);
    if (!existsSync(file) && existsSync(tocFile)) {
      const sections = sectionsOfToc(readFileSync(tocFile, 'latin1'));
      report(n, old, sections);
      entries.push([n, { ...old, source: 'text', sections }]);
      continue;
    }
    if (!existsSync(file)) {
      entries.push([n, old]);
      console.log(`RFC ${n}: no text in ${dir}, entry kept as it is (${old.source})`);
      continue;
    }
    const text = readFileSync(file, 'latin1');
    const flat = text.replace(/\s+/g, ' ').toLowerCase();
    if (!flat.includes(old.title.toLowerCase().replace(/\s+/g, ' ')))
      console.log(`RFC ${n}: the title "${old.title}" is not in the text; check it`);
    const sections = sectionsOf(text);
    report(n, old, sections);
    entries.push([n, { ...old, source: 'text', sections }]);
  }
  const src = readFileSync(OUT, 'utf8');
  const head = src.slice(0, src.indexOf('export const RFC_SECTIONS'));
  entries.sort((a, b) => a[0] - b[0]);
  const table = `export const RFC_SECTIONS: Record<number, RfcEntry> = {\n${entries.map(([n, e]) => entrySource(n, e)).join('\n')}\n};\n`;
  writeFileSync(OUT, head + table);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  main(process.argv[2] ?? '.', (process.argv[3] ?? '').split(',').filter(Boolean).map(Number));
