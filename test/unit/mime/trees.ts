// A varied set of message trees for the round-trip, Python and line-length tests.
import { attachment, messagePart, multipart, text, type MimeMessage } from '../../../app/src/mime/tree.ts';
import { EXAMPLE_PNG } from '../../../app/src/mime/examples.ts';
import { seededRandom } from '../../../app/src/mime/headers.ts';

const utf8 = new TextEncoder();
const allBytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
const randomBytes = seededRandom(7)(30_000);
const longLine =
  'This line is far longer than seventy-eight characters, so it cannot travel as 7bit without a soft break somewhere. '.repeat(
    3,
  );

const base = (subject: string) => [
  { name: 'From', value: 'Ada Lovelace <ada@practice.test>' },
  { name: 'To', value: 'Grace Hopper <grace@practice.test>' },
  { name: 'Subject', value: subject },
];

export const TREES: { name: string; message: MimeMessage }[] = [
  { name: 'plain ASCII', message: { headers: base('Plain'), body: text('Hello\nworld\n') } },
  {
    name: 'non-ASCII headers',
    message: {
      headers: [
        { name: 'From', value: 'Jörg Müller-Lüdenscheidt <joerg@practice.test>' },
        {
          name: 'To',
          value: '"Hopper, Grace" <grace@practice.test>, Zoë Ångström <zoe@practice.test>, bob@practice.test',
        },
        { name: 'Cc', value: '李小龍 <li@practice.test>' },
        {
          name: 'Subject',
          value:
            'Grüße aus München 🍺 — ein Betreff, der deutlich länger ist als eine Zeile und gefaltet werden muss, Привет мир',
        },
        { name: 'Comments', value: 'ascii words =?not-an-encoded-word?= stay readable' },
        { name: 'X-Mailer', value: 'mailwire test' },
      ],
      body: text('Short body without a final line break', 'plain'),
    },
  },
  {
    name: 'long lines and awkward text',
    message: {
      headers: base('Long lines'),
      body: multipart('mixed', [
        text(
          `${longLine}\n.leading dot\nFrom the start of a line\ntrailing spaces   \ntrailing tab\t\n= sign and =3D\n\n\n`,
        ),
        text('Привет! Это письмо почти целиком написано по-русски, поэтому base64 короче.\nこんにちは世界\n'),
        text('mostly ASCII with one ü and a very long line ' + 'x'.repeat(200) + '\nand CRLF\r\nand lone CR\rend'),
      ]),
    },
  },
  {
    name: 'binary attachments',
    message: {
      headers: base('Files'),
      body: multipart('mixed', [
        text('Three files.\n'),
        attachment('application/octet-stream', allBytes, { filename: 'all-bytes.bin' }),
        attachment('application/zip', randomBytes, {
          filename: 'Übersicht März — ein sehr langer Dateiname für den Quartalsbericht 2026.zip',
        }),
        attachment('audio/wav', randomBytes.subarray(0, 1001), {
          filename: 'a-long-ascii-filename-that-needs-rfc-2231-continuations-because-it-is-long.wav',
        }),
        attachment('image/png', EXAMPLE_PNG, { filename: 'p.png', disposition: 'inline' }),
        attachment('application/octet-stream', new Uint8Array(0), { filename: 'empty.bin' }),
      ]),
    },
  },
  {
    name: 'nested multiparts',
    message: {
      headers: base('Nested'),
      body: multipart('mixed', [
        multipart('alternative', [
          text('plain version\n'),
          multipart('related', [
            text('<p>html <img src="cid:img1@practice.test"></p>\n', 'html'),
            attachment('image/png', EXAMPLE_PNG, {
              filename: 'img.png',
              disposition: 'inline',
              contentId: 'img1@practice.test',
            }),
          ]),
        ]),
        attachment('application/pdf', allBytes.subarray(0, 999), {
          filename: 'doc.pdf',
          headers: [{ name: 'Content-Description', value: 'Eine Beschreibung' }],
        }),
      ]),
    },
  },
  {
    name: 'message/rfc822 (tree and raw)',
    message: {
      headers: base('Fwd: two messages'),
      body: multipart('mixed', [
        text('Two forwarded messages follow.\n'),
        messagePart({
          headers: [
            { name: 'From', value: 'Grace Hopper <grace@practice.test>' },
            { name: 'Subject', value: 'Inner — with ümlaut' },
            { name: 'Date', value: 'Tue, 24 Nov 2026 16:20:00 +0000' },
            { name: 'Message-ID', value: '<inner-1@practice.test>' },
          ],
          body: multipart('alternative', [text('inner plain\n'), text('<p>inner html</p>\n', 'html')]),
        }),
        messagePart(
          utf8.encode(
            'From: x@practice.test\r\nSubject: raw\r\nDate: Tue, 24 Nov 2026 16:20:00 +0000\r\nMessage-ID: <raw-1@practice.test>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nraw bytes with ü\r\n',
          ),
        ),
      ]),
    },
  },
  {
    name: 'encodings chosen by hand',
    message: {
      headers: base('By hand'),
      body: multipart('mixed', [
        text(
          'eight bit: ü ß 漢字, and a line longer than 78 characters to show that 8bit allows it up to 998 octets.\n',
          'plain',
          { encoding: '8bit' },
        ),
        text('ascii sent as base64\n', 'plain', { encoding: 'base64' }),
        text('latin-1 text: café, naïve\n', 'plain', { charset: 'iso-8859-1' }),
        attachment(
          'application/octet-stream',
          Uint8Array.from([0x61, 0x0d, 0x0a, 0x3d, 0xff, 0x00, 0x20, 0x0d, 0x0a, 0x0a]),
          { filename: 'qp.bin', encoding: 'quoted-printable' },
        ),
        attachment('text/plain', utf8.encode('seven bit file\r\nline two\r\n'), {
          filename: 'seven.txt',
          encoding: '7bit',
        }),
      ]),
    },
  },
];
