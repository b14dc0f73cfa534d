// The MIME tree model (RFC 2045/2046) and pure operations on it. Every operation returns a
// new tree; nodes are never mutated, so a UI can keep undo history by keeping old roots.
import { MimeError } from './errors.ts';

export type TransferEncoding = '7bit' | '8bit' | 'quoted-printable' | 'base64';
/** 'auto' lets the generator choose (see chooseEncoding in generate.ts). */
export type EncodingChoice = 'auto' | TransferEncoding;
export type MultipartSubtype = 'mixed' | 'alternative' | 'related';
export type Charset = 'utf-8' | 'us-ascii' | 'iso-8859-1';

/** A header as the user sees it: Unicode value; the generator applies RFC 2047 and folding. */
export type Header = { name: string; value: string };

type NodeBase = {
  id: string;
  /** Extra headers of this part (e.g. Content-Description); Content-* headers the model owns are derived. */
  headers: Header[];
  encoding: EncodingChoice;
};

export type MultipartNode = NodeBase & {
  kind: 'multipart';
  contentType: `multipart/${MultipartSubtype}`;
  children: MimeNode[];
};

export type TextNode = NodeBase & {
  kind: 'text';
  contentType: 'text/plain' | 'text/html';
  charset: Charset | string;
  /** The text with "\n" line breaks; the generator writes CRLF. */
  text: string;
};

export type AttachmentNode = NodeBase & {
  kind: 'attachment';
  /** image/*, audio/*, application/*, or text/* sent as a file. */
  contentType: string;
  data: Uint8Array;
  filename?: string;
  disposition: 'inline' | 'attachment';
  /** Content-ID without angle brackets, for multipart/related (RFC 2392 cid: URLs). */
  contentId?: string;
};

export type MessageNode = NodeBase & {
  kind: 'message';
  contentType: 'message/rfc822';
  /** A nested message as a tree, or its raw bytes as received. */
  message: MimeMessage | Uint8Array;
};

export type MimeNode = MultipartNode | TextNode | AttachmentNode | MessageNode;

/** A whole message: top-level headers (From, To, Subject, Date, ...) and the body tree. */
export type MimeMessage = { headers: Header[]; body: MimeNode };

let counter = 0;
/** Ids only need to be unique within one tree; callers may pass their own. */
export function newId(prefix = 'n'): string {
  counter += 1;
  return `${prefix}${counter}`;
}

export function text(body: string, subtype: 'plain' | 'html' = 'plain', opts: Partial<TextNode> = {}): TextNode {
  return {
    id: newId(),
    kind: 'text',
    contentType: `text/${subtype}`,
    charset: 'utf-8',
    text: body,
    encoding: 'auto',
    headers: [],
    ...opts,
  };
}

export function attachment(contentType: string, data: Uint8Array, opts: Partial<AttachmentNode> = {}): AttachmentNode {
  return {
    id: newId(),
    kind: 'attachment',
    contentType,
    data,
    disposition: 'attachment',
    encoding: 'auto',
    headers: [],
    ...opts,
  };
}

export function multipart(
  subtype: MultipartSubtype,
  children: MimeNode[],
  opts: Partial<MultipartNode> = {},
): MultipartNode {
  return {
    id: newId(),
    kind: 'multipart',
    contentType: `multipart/${subtype}`,
    children,
    encoding: 'auto',
    headers: [],
    ...opts,
  };
}

export function messagePart(message: MimeMessage | Uint8Array, opts: Partial<MessageNode> = {}): MessageNode {
  return {
    id: newId(),
    kind: 'message',
    contentType: 'message/rfc822',
    message,
    encoding: 'auto',
    headers: [],
    ...opts,
  };
}

/** Depth-first walk; nested message/rfc822 trees are entered too. */
export function* walk(
  node: MimeNode,
  parent: MimeNode | null = null,
): Generator<{ node: MimeNode; parent: MimeNode | null }> {
  yield { node, parent };
  if (node.kind === 'multipart') for (const c of node.children) yield* walk(c, node);
  if (node.kind === 'message' && !(node.message instanceof Uint8Array)) yield* walk(node.message.body, node);
}

export function findById(root: MimeNode, id: string): MimeNode | null {
  for (const { node } of walk(root)) if (node.id === id) return node;
  return null;
}

export function findParent(root: MimeNode, id: string): MultipartNode | null {
  for (const { node, parent } of walk(root)) {
    if (node.id === id) return parent && parent.kind === 'multipart' ? parent : null;
  }
  return null;
}

// Rebuilds the path to the node `id`, replacing it with f(node); f returning null removes it.
function mapNode(root: MimeNode, id: string, f: (n: MimeNode) => MimeNode | null): MimeNode | null {
  if (root.id === id) return f(root);
  if (root.kind === 'multipart') {
    let changed = false;
    const children: MimeNode[] = [];
    for (const c of root.children) {
      const m = mapNode(c, id, f);
      if (m !== c) changed = true;
      if (m) children.push(m);
    }
    return changed ? { ...root, children } : root;
  }
  if (root.kind === 'message' && !(root.message instanceof Uint8Array)) {
    const body = mapNode(root.message.body, id, f);
    if (body === root.message.body) return root;
    if (!body)
      throw new MimeError(
        'CANNOT_REMOVE_ROOT',
        'A forwarded message needs a body; remove the whole message/rfc822 part instead.',
      );
    return { ...root, message: { ...root.message, body } };
  }
  return root;
}

function requireNode(root: MimeNode, id: string): MimeNode {
  const n = findById(root, id);
  if (!n) throw new MimeError('NODE_NOT_FOUND', `No part has the id "${id}"; pick a part that is in the tree.`);
  return n;
}

/** Replaces the node with the same id (e.g. after editing its text). */
export function replaceNode(root: MimeNode, node: MimeNode): MimeNode {
  requireNode(root, node.id);
  return mapNode(root, node.id, () => node) as MimeNode;
}

/** Adds `child` to the multipart `parentId` at `index` (default: the end). */
export function addPart(root: MimeNode, parentId: string, child: MimeNode, index?: number): MimeNode {
  const parent = requireNode(root, parentId);
  if (parent.kind !== 'multipart') {
    throw new MimeError(
      'NOT_MULTIPART',
      `Part "${parentId}" is ${parent.contentType}, which cannot hold parts; wrap it in a multipart first.`,
    );
  }
  return mapNode(root, parentId, (p) => {
    const mp = p as MultipartNode;
    const children = mp.children.slice();
    children.splice(index ?? children.length, 0, child);
    return { ...mp, children };
  }) as MimeNode;
}

/** Wraps the node `id` in a new multipart of `subtype` (the node becomes its first child). */
export function wrapInMultipart(root: MimeNode, id: string, subtype: MultipartSubtype, newIdValue = newId()): MimeNode {
  requireNode(root, id);
  return mapNode(root, id, (n) => multipart(subtype, [n], { id: newIdValue })) as MimeNode;
}

/** Moves the node `id` to position `index` among its siblings. */
export function reorder(root: MimeNode, id: string, index: number): MimeNode {
  const parent = findParent(root, id);
  if (!parent)
    throw new MimeError('NO_PARENT', `Part "${id}" is not inside a multipart, so it has no siblings to reorder.`);
  const children = parent.children.filter((c) => c.id !== id);
  const node = parent.children.find((c) => c.id === id) as MimeNode;
  children.splice(Math.max(0, Math.min(index, children.length)), 0, node);
  return mapNode(root, parent.id, (p) => ({ ...(p as MultipartNode), children })) as MimeNode;
}

/** Removes the node `id`; the root itself cannot be removed. */
export function removePart(root: MimeNode, id: string): MimeNode {
  if (root.id === id)
    throw new MimeError('CANNOT_REMOVE_ROOT', 'The top part of a message cannot be removed; replace it instead.');
  requireNode(root, id);
  return mapNode(root, id, () => null) as MimeNode;
}

export type Problem = { id: string; code: string; severity: 'error' | 'warning'; message: string };

/** Checks the rules a learner can break by editing; errors stop generation, warnings do not. */
export function validate(root: MimeNode): Problem[] {
  const out: Problem[] = [];
  const ids = new Set<string>();
  const add = (id: string, code: string, severity: Problem['severity'], message: string) =>
    out.push({ id, code, severity, message });
  for (const { node } of walk(root)) {
    if (ids.has(node.id))
      add(node.id, 'DUPLICATE_ID', 'error', `Two parts share the id "${node.id}"; give each part its own id.`);
    ids.add(node.id);
    if (node.kind === 'multipart') {
      if (node.children.length === 0)
        add(
          node.id,
          'EMPTY_MULTIPART',
          'error',
          `${node.contentType} has no parts; add one or remove it (RFC 2046 5.1.1 needs at least one body part).`,
        );
      if (node.encoding === 'base64' || node.encoding === 'quoted-printable') {
        add(
          node.id,
          'MULTIPART_ENCODING',
          'error',
          `A multipart cannot be ${node.encoding}-encoded (RFC 2045 6.4); encode its parts instead.`,
        );
      }
      if (node.contentType === 'multipart/related') {
        const root0 = node.children[0];
        if (root0 && root0.kind === 'attachment' && root0.contentId) {
          add(
            node.id,
            'RELATED_ROOT',
            'warning',
            'The first part of multipart/related is its root document (RFC 2387 3.2); put the HTML or alternative part first.',
          );
        }
        for (const c of node.children.slice(1)) {
          if (c.kind === 'attachment' && !c.contentId)
            add(
              c.id,
              'RELATED_NO_CID',
              'warning',
              'A resource in multipart/related needs a Content-ID so the root can refer to it (cid:).',
            );
        }
      }
      if (node.contentType === 'multipart/alternative') {
        // RFC 2046 5.1.4: alternatives go from plainest to richest; the last one is preferred.
        const kinds = node.children.map((c) => c.contentType);
        const plain = kinds.indexOf('text/plain');
        const html = kinds.indexOf('text/html');
        if (plain >= 0 && html >= 0 && html < plain) {
          add(
            node.id,
            'ALTERNATIVE_ORDER',
            'warning',
            'text/html comes before text/plain, so clients will show the plain text; put text/plain first (RFC 2046 5.1.4).',
          );
        }
        if (node.children.length === 1)
          add(
            node.id,
            'ALTERNATIVE_SINGLE',
            'warning',
            'multipart/alternative with one part offers no alternative; add another or unwrap it.',
          );
      }
    }
    if (node.kind === 'text') {
      if (node.encoding === '7bit' && /[^\x00-\x7f]/.test(node.text)) {
        add(
          node.id,
          'NOT_7BIT',
          'error',
          'The text has non-ASCII characters, so it cannot be sent as 7bit; choose quoted-printable, base64 or auto.',
        );
      }
      if (node.charset === 'us-ascii' && /[^\x00-\x7f]/.test(node.text)) {
        add(
          node.id,
          'CHARSET_MISMATCH',
          'error',
          'The text has non-ASCII characters but the charset is us-ascii; choose utf-8.',
        );
      }
      if (node.charset === 'iso-8859-1' && /[^\x00-\xff]/.test(node.text)) {
        add(node.id, 'CHARSET_MISMATCH', 'error', 'The text has characters that ISO-8859-1 cannot hold; choose utf-8.');
      }
    }
    if (node.kind === 'attachment' && node.encoding === '7bit' && node.data.some((b) => b > 127 || b === 0)) {
      add(node.id, 'NOT_7BIT', 'error', 'The file has bytes that 7bit cannot carry; choose base64 or auto.');
    }
    if (node.kind === 'message' && (node.encoding === 'base64' || node.encoding === 'quoted-printable')) {
      add(
        node.id,
        'MESSAGE_ENCODING',
        'error',
        'message/rfc822 must be 7bit or 8bit (RFC 2046 5.2.1); encode the parts inside it instead.',
      );
    }
  }
  return out;
}
