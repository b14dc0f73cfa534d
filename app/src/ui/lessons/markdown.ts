// A small Markdown-to-HTML renderer for lesson prose: paragraphs, headings, lists, block quotes,
// fenced code, `code`, **bold**, *emphasis* and [links](https://...). Pure (no DOM). Everything the
// teacher wrote is HTML-escaped first, so a lesson file can never inject markup or script; only
// http(s), mailto and in-app (#...) links become anchors.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Links allowed in lesson prose; anything else (javascript:, data:, relative paths) stays text. */
export function isSafeHref(href: string): boolean {
  return /^(https?:\/\/|mailto:|#)/i.test(href);
}

/** Inline Markdown of one paragraph's text, already joined into one string. */
export function renderInline(text: string): string {
  // Code spans first: nothing inside them is formatted.
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : formatText(part)))
    .join('');
}

function formatText(raw: string): string {
  let out = '';
  const link = /\[([^\]]+)\]\(([^)\s]+)\)/g;
  let at = 0;
  for (let m = link.exec(raw); m; m = link.exec(raw)) {
    out += emphasis(escapeHtml(raw.slice(at, m.index)));
    const label = emphasis(escapeHtml(m[1]));
    out += isSafeHref(m[2]) ? `<a href="${escapeHtml(m[2])}"${m[2].startsWith('#') ? '' : ' target="_blank" rel="noopener noreferrer"'}>${label}</a>` : label;
    at = m.index + m[0].length;
  }
  return out + emphasis(escapeHtml(raw.slice(at)));
}

/** **strong** and *em* / _em_ on escaped text (the markers are not HTML-special). */
function emphasis(escaped: string): string {
  return escaped
    .replace(/\*\*(?=\S)(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*(?=\S)([^*]+?)\*(?!\w)/g, '$1<em>$2</em>')
    .replace(/(^|[^_\w])_(?=\S)([^_]+?)_(?!\w)/g, '$1<em>$2</em>');
}

type Block =
  | { kind: 'p'; lines: string[] }
  | { kind: 'ul' | 'ol'; items: string[] }
  | { kind: 'quote'; lines: string[] }
  | { kind: 'code'; lines: string[] }
  | { kind: 'heading'; level: number; text: string };

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

/** Renders lesson prose (Markdown) to HTML safe to insert with {@html}. */
export function renderMarkdown(markdown: string): string {
  const blocks: Block[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let cur = null as Block | null;
  const close = () => {
    if (cur) blocks.push(cur);
    cur = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      close();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith(fence[1]); i++) code.push(lines[i]);
      blocks.push({ kind: 'code', lines: code });
      continue;
    }
    if (line.trim() === '') {
      close();
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = BULLET.exec(line);
    const numbered = NUMBERED.exec(line);
    const quote = /^\s*>\s?(.*)$/.exec(line);
    if (heading) {
      close();
      blocks.push({ kind: 'heading', level: heading[1].length, text: heading[2] });
    } else if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      const item = (bullet ?? numbered)![1];
      if (cur?.kind === kind) cur.items.push(item);
      else {
        close();
        cur = { kind, items: [item] };
      }
    } else if (quote) {
      if (cur?.kind === 'quote') cur.lines.push(quote[1]);
      else {
        close();
        cur = { kind: 'quote', lines: [quote[1]] };
      }
    } else if ((cur?.kind === 'ul' || cur?.kind === 'ol') && /^\s+/.test(line)) {
      // An indented line continues the last list item.
      cur.items[cur.items.length - 1] += ` ${line.trim()}`;
    } else if (cur?.kind === 'p') cur.lines.push(line.trim());
    else {
      close();
      cur = { kind: 'p', lines: [line.trim()] };
    }
  }
  close();
  return blocks.map(renderBlock).join('\n');
}

function renderBlock(b: Block): string {
  switch (b.kind) {
    case 'p':
      return `<p>${renderInline(b.lines.join(' '))}</p>`;
    case 'ul':
    case 'ol':
      return `<${b.kind}>${b.items.map((i) => `<li>${renderInline(i)}</li>`).join('')}</${b.kind}>`;
    case 'quote':
      return `<blockquote>${renderInline(b.lines.join(' '))}</blockquote>`;
    case 'code':
      return `<pre><code>${escapeHtml(b.lines.join('\n'))}</code></pre>`;
    case 'heading': {
      // Lesson and step titles are h2/h3 on the page: prose headings sit below them.
      const level = Math.min(6, b.level + 3);
      return `<h${level}>${renderInline(b.text)}</h${level}>`;
    }
  }
}
