// Makes received HTML safe to show: it goes into a sandboxed frame (no scripts, no same origin)
// with a CSP that blocks every remote load, and cid: references point at the message's own parts.
import { walk, type MimeNode } from '../../mime/index.ts';
import { base64Encode } from '../../protocols/common/bytes.ts';

const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

function dataUrl(type: string, data: Uint8Array): string {
  return `data:${type};base64,${base64Encode(data)}`;
}

/** The srcdoc of the preview frame for an HTML part of `root`. */
export function htmlPreviewDoc(html: string, root: MimeNode): string {
  const cids = new Map<string, string>();
  for (const { node } of walk(root)) {
    if (node.kind === 'attachment' && node.contentId && node.data.length < 2_000_000)
      cids.set(node.contentId, dataUrl(node.contentType, node.data));
  }
  const body = html.replace(/cid:([^"'\s)>]+)/gi, (m, id: string) => cids.get(decodeURIComponent(id)) ?? m);
  return `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}">${body}`;
}

export { dataUrl };
