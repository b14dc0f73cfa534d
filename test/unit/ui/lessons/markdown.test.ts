import { describe, expect, it } from 'vitest';
import { escapeHtml, isSafeHref, renderInline, renderMarkdown } from '../../../../app/src/ui/lessons/markdown.ts';

describe('renderMarkdown', () => {
  it('escapes HTML a lesson file contains, so prose cannot inject markup', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script> & "you"');
    expect(html).toBe('<p>Hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;you&quot;</p>');
    expect(html).not.toContain('<script');
  });

  it('joins the lines of a paragraph and separates paragraphs at blank lines', () => {
    expect(renderMarkdown('one\ntwo\n\nthree')).toBe('<p>one two</p>\n<p>three</p>');
  });

  it('renders code spans literally, without formatting or markup inside', () => {
    expect(renderInline('type `MAIL FROM:<**a**@b>` now')).toBe('type <code>MAIL FROM:&lt;**a**@b&gt;</code> now');
  });

  it('renders bold and emphasis, but not an asterisk inside a word or a lone one', () => {
    expect(renderInline('a **bold** and *soft* and _also_ word')).toBe('a <strong>bold</strong> and <em>soft</em> and <em>also</em> word');
    expect(renderInline('2 * 3 = 6 and snake_case_name')).toBe('2 * 3 = 6 and snake_case_name');
  });

  it('links only http(s), mailto and in-app targets; others stay plain text', () => {
    expect(renderInline('[RFC 5321](https://www.rfc-editor.org/rfc/rfc5321)')).toBe(
      '<a href="https://www.rfc-editor.org/rfc/rfc5321" target="_blank" rel="noopener noreferrer">RFC 5321</a>',
    );
    expect(renderInline('[studio](#/studio)')).toBe('<a href="#/studio">studio</a>');
    expect(renderInline('[click](javascript:alert(1))')).not.toContain('<a');
    expect(isSafeHref('data:text/html,x')).toBe(false);
  });

  it('renders lists, quotes, headings and fenced code', () => {
    const html = renderMarkdown('- first\n- second `x`\n\n1. one\n2. two\n\n> a quote\n\n## Sub\n\n```\n250 <ok>\n```');
    expect(html).toBe(
      [
        '<ul><li>first</li><li>second <code>x</code></li></ul>',
        '<ol><li>one</li><li>two</li></ol>',
        '<blockquote>a quote</blockquote>',
        '<h5>Sub</h5>',
        '<pre><code>250 &lt;ok&gt;</code></pre>',
      ].join('\n'),
    );
  });

  it('renders the prose of a real lesson step', () => {
    const html = renderMarkdown('Its first line starts\nwith `220`: the service is ready for you.');
    expect(html).toBe('<p>Its first line starts with <code>220</code>: the service is ready for you.</p>');
  });

  it('escapes every HTML-special character', () => {
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });
});
