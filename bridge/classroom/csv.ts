// CSV as RFC 4180 writes it (CRLF lines, fields quoted when they hold a comma, quote or line break),
// read leniently (LF or CRLF, a BOM from a spreadsheet export). Used for the roster and the export.

/** `forSpreadsheet`: a cell starting with = + - @ gets a leading ' so a spreadsheet shows it as text. */
export function formatCsv(rows: string[][], forSpreadsheet = false): string {
  return rows.map((r) => r.map((f) => csvField(f, forSpreadsheet)).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: string, forSpreadsheet: boolean): string {
  const v = forSpreadsheet && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Rows of fields; empty lines are dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0]!.trim() !== '') rows.push(row);
    row = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') endRow();
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}
