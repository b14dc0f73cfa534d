// Example messages the studio can load. Each is also kept as a generated .eml file in
// ./examples/ (written by test/fixtures/mime/write-examples.ts, checked for drift by a test),
// so any mail program can open it. Ids are fixed so the UI can refer to parts.
import type { GenerateOptions } from './generate.ts';
import { seededRandom } from './headers.ts';
import { encodePng } from './png.ts';
import { attachment, messagePart, multipart, text, type MimeMessage } from './tree.ts';

export type Example = { name: string; file: string; title: string; description: string; message: MimeMessage };

// Written between the practice server's own accounts (bridge/practice/defaults.ts), so each
// example can be sent as it is: the studio's MAIL FROM and RCPT TO come from these headers.
const FROM = { name: 'From', value: 'Alice <alice@practice.test>' };
const TO = { name: 'To', value: 'Bob <bob@practice.test>' };

/** A 24x24 PNG: a blue-to-green gradient with a white diagonal, made in code (see png.ts). */
export const EXAMPLE_PNG = encodePng(24, 24, (x, y) => (x === y ? [255, 255, 255] : [20, 60 + x * 8, 230 - y * 8]));

const plain: Example = {
  name: 'plain',
  file: 'plain-text.eml',
  title: 'Plain text',
  description: 'One text/plain part: the smallest MIME message.',
  message: {
    headers: [FROM, TO, { name: 'Subject', value: 'Hello from the MIME studio' }],
    body: text(
      'Hi Bob,\n\nthis message has a single text/plain part, sent as 7bit because\nevery line is short ASCII.\n\nAlice\n',
      'plain',
      { id: 'text' },
    ),
  },
};

const alternative: Example = {
  name: 'alternative',
  file: 'text-and-html.eml',
  title: 'Text + HTML',
  description: 'multipart/alternative: the same note as plain text and as HTML; clients show the last one they can.',
  message: {
    headers: [FROM, TO, { name: 'Subject', value: 'Two ways to say the same thing' }],
    body: multipart(
      'alternative',
      [
        text('Hi Bob,\n\nthis is the plain-text version. Clients that cannot show HTML use it.\n\nAlice\n', 'plain', {
          id: 'plain',
        }),
        text(
          '<!doctype html>\n<html><body>\n<p>Hi Bob,</p>\n<p>this is the <b>HTML</b> version, listed last because it is preferred.</p>\n<p>Alice</p>\n</body></html>\n',
          'html',
          { id: 'html' },
        ),
      ],
      { id: 'alternative' },
    ),
  },
};

const inlineImage: Example = {
  name: 'inline-image',
  file: 'inline-image.eml',
  title: 'Text with an inline image',
  description: 'multipart/related holds the HTML and the image it shows by cid: URL (RFC 2387, RFC 2392).',
  message: {
    headers: [FROM, TO, { name: 'Subject', value: 'A picture inside the message' }],
    body: multipart(
      'alternative',
      [
        text('Hi Bob,\n\nthe HTML version of this message shows a small gradient image.\n\nAlice\n', 'plain', {
          id: 'plain',
        }),
        multipart(
          'related',
          [
            text(
              '<html><body>\n<p>Hi Bob, here is the image:</p>\n<p><img src="cid:gradient@practice.test" alt="gradient" width="96" height="96"></p>\n</body></html>\n',
              'html',
              { id: 'html' },
            ),
            attachment('image/png', EXAMPLE_PNG, {
              id: 'image',
              filename: 'gradient.png',
              disposition: 'inline',
              contentId: 'gradient@practice.test',
            }),
          ],
          { id: 'related' },
        ),
      ],
      { id: 'alternative' },
    ),
  },
};

const utf8 = new TextEncoder();
const nonAsciiFile: Example = {
  name: 'non-ascii-filename',
  file: 'non-ascii-filename.eml',
  title: 'Attachment with a non-ASCII filename',
  description:
    "The filename travels as RFC 2231 filename*=UTF-8''..., with an RFC 2047 name= fallback for older clients.",
  message: {
    headers: [FROM, TO, { name: 'Subject', value: 'Übersicht für März' }],
    body: multipart(
      'mixed',
      [
        text('Hallo Bob,\n\nanbei die Übersicht für März.\n\nGrüße, Alice\n', 'plain', { id: 'text' }),
        attachment('text/plain', utf8.encode('Übersicht März\r\n\r\nUmsatz: 1.234 €\r\nKunden: 56\r\n'), {
          id: 'file',
          filename: 'Übersicht März.txt',
        }),
      ],
      { id: 'mixed' },
    ),
  },
};

const forwarded: Example = {
  name: 'forwarded',
  file: 'forwarded.eml',
  title: 'A forwarded message',
  description: 'message/rfc822: a whole message, headers and all, carried as one part of another.',
  message: {
    headers: [FROM, TO, { name: 'Subject', value: 'Fwd: Re: the café meeting ☕' }],
    body: multipart(
      'mixed',
      [
        text("Bob,\n\nforwarding Carol's note below, as an attached message.\n\nAlice\n", 'plain', { id: 'note' }),
        messagePart(
          {
            headers: [
              // The attached message came from outside; only the outer To decides where this one goes.
              { name: 'From', value: 'Carol <carol@example.org>' },
              { name: 'To', value: 'Alice <alice@practice.test>' },
              { name: 'Subject', value: 'Re: the café meeting ☕' },
              { name: 'Date', value: 'Tue, 24 Nov 2026 16:20:00 +0000' },
              { name: 'Message-ID', value: '<reply-1@practice.test>' },
            ],
            body: text('Alice,\n\nthe café at four works for me.\n\nCarol\n', 'plain', { id: 'inner-text' }),
          },
          { id: 'forwarded' },
        ),
      ],
      { id: 'mixed' },
    ),
  },
};

export const EXAMPLES: Example[] = [plain, alternative, inlineImage, nonAsciiFile, forwarded];

/**
 * Fixed clock and a random source seeded from the example's name, so each .eml is
 * reproducible and each example still gets its own Message-ID and boundaries.
 */
export function exampleOptions(name: string): GenerateOptions {
  let seed = 2045;
  for (const ch of name) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
  return { now: () => new Date(Date.UTC(2026, 10, 25, 9, 30, 0)), random: seededRandom(seed), domain: 'practice.test' };
}
