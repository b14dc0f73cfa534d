import { expect } from 'vitest';
import type { Generated } from '../../../app/src/mime/generate.ts';
import type { MimeMessage, MimeNode } from '../../../app/src/mime/tree.ts';

export { has } from '../../helpers/peers.ts';

// What the parser should give back for a generated tree: ids dropped, 'auto' replaced by the
// encoding the generator chose, text line breaks as "\n", the Date/Message-ID that were added.
export function expectedNode(n: MimeNode, g: Generated): unknown {
  const encoding = n.kind === 'multipart' ? n.encoding : g.sizes[n.id].encoding;
  const common = { kind: n.kind, contentType: n.contentType, headers: n.headers, encoding };
  switch (n.kind) {
    case 'multipart':
      return { ...common, children: n.children.map((c) => expectedNode(c, g)) };
    case 'text':
      return { ...common, charset: n.charset.toLowerCase(), text: n.text.replace(/\r\n?/g, '\n') };
    case 'attachment':
      return {
        ...common,
        data: Array.from(n.data),
        disposition: n.disposition,
        filename: n.filename,
        contentId: n.contentId,
      };
    case 'message':
      return {
        ...common,
        message: n.message instanceof Uint8Array ? expect.anything() : expectedMessage(n.message, g, false),
      };
  }
}

export function expectedMessage(m: MimeMessage, g: Generated, top = true): unknown {
  const headers = top ? g.headers.filter((h) => h.name !== 'MIME-Version') : m.headers;
  return { headers, body: expectedNode(m.body, g) };
}

/** The parsed tree in the same shape (a raw message/rfc822 part is checked on its own). */
export function actualNode(n: MimeNode): unknown {
  const common = { kind: n.kind, contentType: n.contentType, headers: n.headers, encoding: n.encoding };
  switch (n.kind) {
    case 'multipart':
      return { ...common, children: n.children.map(actualNode) };
    case 'text':
      return { ...common, charset: n.charset, text: n.text };
    case 'attachment':
      return {
        ...common,
        data: Array.from(n.data),
        disposition: n.disposition,
        filename: n.filename,
        contentId: n.contentId,
      };
    case 'message':
      return { ...common, message: n.message instanceof Uint8Array ? 'raw' : actualMessage(n.message) };
  }
}

export function actualMessage(m: MimeMessage): unknown {
  return { headers: m.headers, body: actualNode(m.body) };
}

export const FIXED = { now: () => new Date(Date.UTC(2026, 10, 25, 10, 0, 0)) };
