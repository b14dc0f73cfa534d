// The bundled RFC table (app/src/lessons/rfc-sections.ts) against what cites it: every section that
// the lessons, the annotations' catalogs and the practice server cite of an RFC whose every section
// is in the table must be there (the lesson lint checks lessons; this checks the code's citations).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RFC_SECTIONS } from '../../../app/src/lessons/index.ts';
import { sectionsOf, sectionsOfToc } from '../../tools/rfc-sections.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(join(root, p)).isDirectory()) return sources(p);
    return /\.(ts|svelte|md)$/.test(f) ? [p] : [];
  });
}

/** `rfc(9051, '7.6')` and "RFC 9051 section 7.6" in a source file. */
function cited(text: string): { rfc: number; section: string }[] {
  const calls = [...text.matchAll(/\brfc\((\d+),\s*'([^']+)'\)/g)];
  const prose = [...text.matchAll(/\bRFC\s+(\d{3,5}),?\s+sections?\s+(\d+(?:\.\d+)*)/g)];
  return [...calls, ...prose].map((m) => ({ rfc: Number(m[1]), section: m[2] }));
}

describe('the bundled RFC table', () => {
  it('has every section cited in app/src, bridge and lessons of the RFCs it holds in full', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of [...sources('app/src'), ...sources('bridge'), ...sources('lessons')]) {
      for (const c of cited(readFileSync(join(root, file), 'utf8'))) {
        const entry = RFC_SECTIONS[c.rfc];
        if (!entry || entry.source !== 'text') continue;
        checked++;
        if (!(c.section in entry.sections)) missing.push(`${file}: RFC ${c.rfc} section ${c.section}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('reads headings from an RFC text, leaving out the table of contents and page breaks', () => {
    const text = [
      'Table of Contents',
      '',
      '   1.  Introduction ....................................2',
      '',
      '1.  Introduction',
      '',
      '   Text 1.5 times.',
      '',
      'Freed                       Standards Track                     [Page 2]',
      '\fRFC 2920               SMTP Pipelining                   September 2000',
      '',
      '3.1.  Client use of pipelining',
      '',
      '2.  A heading that is long enough to go on over the end of the line and into',
      '    the next one',
      '',
      'Appendix A.  Backward Compatibility',
      'A.1.  Mailbox International Naming Convention',
    ].join('\n');
    // 3.1 has no section 3 before it: a number in column 0 that is not a heading.
    expect(sectionsOf(text)).toEqual({
      '1': 'Introduction',
      '2': 'A heading that is long enough to go on over the end of the line and into the next one',
      'Appendix A': 'Backward Compatibility',
      'Appendix A.1': 'Mailbox International Naming Convention',
    });
  });

  it('reads a table of contents', () => {
    const toc = '   3.   Enumerated Status Codes ........5\n     3.4  Mail system status ......8\n        Appendix A - Collected Status Codes ....14\n';
    expect(sectionsOfToc(toc)).toEqual({ '3': 'Enumerated Status Codes', '3.4': 'Mail system status', 'Appendix A': 'Collected Status Codes' });
  });
});
