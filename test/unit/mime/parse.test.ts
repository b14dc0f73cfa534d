// The parser adapter on messages it did not write: hand-written edge cases and nodemailer output.
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { MimeError } from '../../../app/src/mime/errors.ts';
import { parseMessage } from '../../../app/src/mime/parse.ts';
import { walk, type AttachmentNode, type MultipartNode, type TextNode } from '../../../app/src/mime/tree.ts';
import { EXAMPLE_PNG } from '../../../app/src/mime/examples.ts';

const shape = (body: Parameters<typeof walk>[0]) => [...walk(body)].map((w) => w.node.contentType);

describe('parseMessage on foreign input', () => {
  it('handles LF line ends, a preamble, an epilogue, transport padding and legacy charsets', async () => {
    const raw = [
      'From: =?ISO-8859-1?Q?Andr=E9?= <andre@example.com>',
      'Subject: =?ISO-8859-1?Q?caf=E9?= and',
      '  more',
      'Content-Type: multipart/mixed; boundary=XYZ',
      '',
      'This is the preamble.',
      '--XYZ   ',
      'Content-Type: text/plain; charset=windows-1252',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Caf=E9 5',
      '--XYZ',
      '',
      'no headers: text/plain us-ascii by default',
      '--XYZ',
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment;',
      " filename*0*=iso-8859-1''%E9t%E9;",
      ' filename*1=.bin',
      'Content-Transfer-Encoding: base64',
      '',
      'AAEC',
      '--XYZ--',
      'epilogue',
    ].join('\n');
    const { message, ranges } = await parseMessage(raw);
    expect(message.headers).toEqual([
      { name: 'From', value: 'André <andre@example.com>' },
      { name: 'Subject', value: 'café and  more' },
    ]);
    const body = message.body as MultipartNode;
    expect(shape(body)).toEqual(['multipart/mixed', 'text/plain', 'text/plain', 'application/octet-stream']);
    expect(body.children[0]).toMatchObject({ kind: 'text', charset: 'windows-1252', text: 'Café 5' });
    expect(body.children[1]).toMatchObject({
      kind: 'text',
      charset: 'us-ascii',
      text: 'no headers: text/plain us-ascii by default',
    });
    const file = body.children[2] as AttachmentNode;
    expect(file.filename).toBe('été.bin');
    expect(Array.from(file.data)).toEqual([0, 1, 2]);
    expect(raw.slice(ranges[file.id].bodyStart, ranges[file.id].end)).toBe('AAEC');
  });

  it('keeps going when the closing boundary is missing', async () => {
    const raw =
      'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nunfinished\r\n';
    const { message } = await parseMessage(raw);
    expect((message.body as MultipartNode).children).toHaveLength(1);
    expect(((message.body as MultipartNode).children[0] as TextNode).text).toBe('unfinished\n');
  });

  it('reads a nodemailer message into the same shape nodemailer was asked for', async () => {
    const mail = new MailComposer({
      from: 'Jörg <joerg@practice.test>',
      to: 'grace@practice.test',
      subject: 'Grüße von nodemailer',
      text: 'Hallo, schöne Grüße',
      html: '<p>Hallo <img src="cid:dot@x"></p>',
      attachments: [
        { filename: 'dot.png', content: Buffer.from(EXAMPLE_PNG), cid: 'dot@x' },
        { filename: 'Übersicht März.txt', content: 'Zeile 1\r\nZeile 2\r\n' },
      ],
    });
    const raw: Buffer = await new Promise((resolve, reject) =>
      mail.compile().build((err, msg) => (err ? reject(err) : resolve(msg))),
    );
    const { message } = await parseMessage(new Uint8Array(raw));
    expect(shape(message.body)).toEqual([
      'multipart/mixed',
      'multipart/alternative',
      'text/plain',
      'multipart/related',
      'text/html',
      'image/png',
      'text/plain',
    ]);
    expect(message.headers.find((h) => h.name === 'Subject')?.value).toBe('Grüße von nodemailer');
    expect(message.headers.find((h) => h.name === 'From')?.value).toBe('Jörg <joerg@practice.test>');
    const nodes = [...walk(message.body)].map((w) => w.node);
    const png = nodes.find((n) => n.contentType === 'image/png') as AttachmentNode;
    expect(png.contentId).toBe('dot@x');
    expect(Array.from(png.data)).toEqual(Array.from(EXAMPLE_PNG));
    const txt = nodes.at(-1) as AttachmentNode;
    expect(txt).toMatchObject({ kind: 'attachment', filename: 'Übersicht März.txt', disposition: 'attachment' });
    expect(new TextDecoder().decode(txt.data)).toBe('Zeile 1\r\nZeile 2\r\n');
    expect(nodes.find((n) => n.contentType === 'text/plain' && n.kind === 'text')).toMatchObject({
      text: 'Hallo, schöne Grüße',
    });
  });

  it('says clearly when the input is not a message', async () => {
    await expect(parseMessage('just some words\r\n')).rejects.toBeInstanceOf(MimeError);
    await expect(parseMessage('just some words\r\n')).rejects.toMatchObject({ code: 'NOT_A_MESSAGE' });
  });
});

describe('parseMessage limits', () => {
  it('turns a failure deep inside into a coded error instead of a crash', async () => {
    let raw = '';
    for (let i = 0; i < 80; i++) raw += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
    raw += 'Content-Type: text/plain\r\n\r\nx\r\n';
    await expect(parseMessage(raw)).rejects.toMatchObject({ code: 'PARSE_FAILED' });
  });
});
