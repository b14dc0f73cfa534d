import { describe, expect, it } from 'vitest';
import { MimeError } from '../../../app/src/mime/errors.ts';
import {
  addPart,
  attachment,
  findById,
  findParent,
  messagePart,
  multipart,
  removePart,
  reorder,
  replaceNode,
  text,
  validate,
  wrapInMultipart,
  type MultipartNode,
} from '../../../app/src/mime/tree.ts';

function sample() {
  const a = text('a', 'plain', { id: 'a' });
  const b = text('<p>b</p>', 'html', { id: 'b' });
  return multipart('alternative', [a, b], { id: 'alt' });
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof MimeError ? e.code : 'other';
  }
  return undefined;
}

describe('tree operations', () => {
  it('adds, reorders, wraps and removes parts without touching the original tree', () => {
    const root = sample();
    const withImg = addPart(root, 'alt', attachment('image/png', new Uint8Array([1]), { id: 'img' }), 1);
    expect((withImg as MultipartNode).children.map((c) => c.id)).toEqual(['a', 'img', 'b']);
    expect(root.children.map((c) => c.id)).toEqual(['a', 'b']);
    const moved = reorder(withImg, 'img', 5);
    expect((moved as MultipartNode).children.map((c) => c.id)).toEqual(['a', 'b', 'img']);
    const wrapped = wrapInMultipart(moved, 'b', 'related', 'rel');
    expect(findParent(wrapped, 'b')?.id).toBe('rel');
    expect(findParent(wrapped, 'rel')?.id).toBe('alt');
    const removed = removePart(wrapped, 'img');
    expect(findById(removed, 'img')).toBeNull();
    expect(findById(wrapped, 'img')).not.toBeNull();
    const edited = replaceNode(removed, { ...(findById(removed, 'a') as ReturnType<typeof text>), text: 'changed' });
    expect((findById(edited, 'a') as ReturnType<typeof text>).text).toBe('changed');
  });

  it('finds nodes inside a forwarded message', () => {
    const inner = text('inner', 'plain', { id: 'inner' });
    const root = multipart('mixed', [messagePart({ headers: [], body: inner }, { id: 'fwd' })], { id: 'm' });
    expect(findById(root, 'inner')).toBe(inner);
    const changed = replaceNode(root, { ...inner, text: 'new' });
    expect((findById(changed, 'inner') as typeof inner).text).toBe('new');
  });

  it('refuses impossible edits with stable codes', () => {
    const root = sample();
    expect(codeOf(() => addPart(root, 'a', text('x')))).toBe('NOT_MULTIPART');
    expect(codeOf(() => addPart(root, 'nope', text('x')))).toBe('NODE_NOT_FOUND');
    expect(codeOf(() => removePart(root, 'alt'))).toBe('CANNOT_REMOVE_ROOT');
    expect(codeOf(() => reorder(root, 'alt', 0))).toBe('NO_PARENT');
  });
});

describe('validate', () => {
  const codes = (n: Parameters<typeof validate>[0]) =>
    validate(n)
      .map((p) => p.code)
      .sort();
  it('accepts a well-formed tree', () => {
    expect(validate(sample())).toEqual([]);
  });
  it('reports each broken rule', () => {
    expect(codes(multipart('mixed', []))).toEqual(['EMPTY_MULTIPART']);
    expect(codes(multipart('alternative', [text('<p>', 'html'), text('p')]))).toEqual(['ALTERNATIVE_ORDER']);
    expect(codes(multipart('related', [text('<p>', 'html'), attachment('image/png', new Uint8Array(1))]))).toEqual([
      'RELATED_NO_CID',
    ]);
    expect(codes(text('ü', 'plain', { encoding: '7bit' }))).toEqual(['NOT_7BIT']);
    expect(codes(text('ü', 'plain', { charset: 'us-ascii' }))).toEqual(['CHARSET_MISMATCH']);
    expect(codes(messagePart(new Uint8Array(0), { encoding: 'base64' }))).toEqual(['MESSAGE_ENCODING']);
    expect(codes(multipart('mixed', [text('a', 'plain', { id: 'x' }), text('b', 'plain', { id: 'x' })]))).toEqual([
      'DUPLICATE_ID',
    ]);
    expect(codes(multipart('mixed', [text('a')], { encoding: 'base64' }))).toEqual(['MULTIPART_ENCODING']);
  });
});
