// A tiny parser for the front-matter subset lessons use: `key: value` lines between two `---`
// lines, `#` comments, and inline lists `[a, b]`. No nesting, no multi-line values: that keeps
// errors easy to explain to a teacher. Values are strings or string lists; the lesson parser
// checks their meaning.

import type { LessonError } from './types.ts';

export type FrontValue = { value: string | string[]; line: number };

export interface FrontMatter {
  fields: Map<string, FrontValue>;
  /** 0-based index of the first line after the closing `---`. */
  bodyStart: number;
}

/** Parses the front matter at the top of `lines`; pushes problems to `errors`. */
export function parseFrontMatter(file: string, lines: string[], errors: LessonError[]): FrontMatter | null {
  let first = 0;
  while (first < lines.length && lines[first].trim() === '') first++;
  if (lines[first]?.trim() !== '---') {
    errors.push({
      file,
      line: first + 1,
      code: 'NO_FRONT_MATTER',
      message: 'a lesson starts with front matter: a line `---`, then `id:`, `title:`, `protocol:`, `target:`, `level:`, `minutes:`, then `---` again.',
    });
    return null;
  }
  const fields = new Map<string, FrontValue>();
  for (let i = first + 1; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    const text = raw.trim();
    if (text === '---') return { fields, bodyStart: i + 1 };
    if (text === '' || text.startsWith('#')) continue;
    const m = /^([A-Za-z][A-Za-z0-9_-]*)\s*:\s*(.*)$/.exec(text);
    if (!m) {
      errors.push({
        file,
        line: lineNo,
        code: 'BAD_FRONT_MATTER_LINE',
        message: `front matter lines look like \`key: value\`; this one does not (${JSON.stringify(text)}). Fix it, or close the front matter with \`---\`.`,
      });
      continue;
    }
    const key = m[1];
    if (fields.has(key)) {
      errors.push({
        file,
        line: lineNo,
        code: 'DUPLICATE_FIELD',
        message: `\`${key}\` is given twice (first on line ${fields.get(key)!.line}); keep one.`,
      });
      continue;
    }
    fields.set(key, { value: parseValue(stripComment(m[2])), line: lineNo });
  }
  errors.push({
    file,
    line: first + 1,
    code: 'UNTERMINATED_FRONT_MATTER',
    message: 'the front matter opened here is never closed; add a line `---` after the last field.',
  });
  return null;
}

/** A ` #` starts a comment, unless inside quotes. */
function stripComment(v: string): string {
  let quote: string | null = null;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(v[i - 1]))) return v.slice(0, i).trim();
  }
  return v.trim();
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) return t.slice(1, -1);
  return t;
}

function parseValue(v: string): string | string[] {
  if (v.startsWith('[') && v.endsWith(']')) {
    const inner = v.slice(1, -1).trim();
    return inner === '' ? [] : inner.split(',').map(unquote);
  }
  return unquote(v);
}
