// BODY and BODYSTRUCTURE (RFC 3501 section 7.4.2) from the structural MIME parse. BODYSTRUCTURE
// adds the extension data (MD5, disposition, language, location); BODY leaves it out. Pure.
import { type Chunk, join, nstr, paren, str } from './encode.ts';
import { buildEnvelope, envelopeChunks } from './envelope.ts';
import { countLines, header, type MimePart, splitParams } from './mime-structure.ts';

export function bodyStructureChunks(raw: Uint8Array, part: MimePart, extensible: boolean): Chunk[] {
  const ct = part.contentType;
  if (ct.type === 'multipart') {
    // A multipart without any parts is still reported with one empty text part, as Dovecot does.
    const children = part.children.length
      ? part.children.map((c) => bodyStructureChunks(raw, c, extensible))
      : [emptyTextPart(extensible)];
    const fields: Chunk[][] = [[...children.flat()], str(ct.subtype)];
    if (extensible)
      fields.push(paramList(ct.params), disposition(part), language(part), nstr(header(part, 'content-location')));
    return paren(join(fields));
  }
  const fields: Chunk[][] = [
    str(ct.type),
    str(ct.subtype),
    paramList(ct.params),
    nstr(header(part, 'content-id')),
    nstr(header(part, 'content-description')),
    str((header(part, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase()),
    [String(part.bodyEnd - part.bodyStart)],
  ];
  if (ct.type === 'message' && ct.subtype === 'rfc822' && part.message) {
    fields.push(envelopeChunks(buildEnvelope(part.message)), bodyStructureChunks(raw, part.message, extensible), [
      String(countLines(raw, part.bodyStart, part.bodyEnd)),
    ]);
  } else if (ct.type === 'text') {
    fields.push([String(countLines(raw, part.bodyStart, part.bodyEnd))]);
  }
  if (extensible) {
    fields.push(
      nstr(header(part, 'content-md5')),
      disposition(part),
      language(part),
      nstr(header(part, 'content-location')),
    );
  }
  return paren(join(fields));
}

function emptyTextPart(extensible: boolean): Chunk[] {
  const base = '"text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0';
  return [`(${base}${extensible ? ' NIL NIL NIL NIL' : ''})`];
}

function paramList(params: Array<[string, string]>): Chunk[] {
  if (!params.length) return ['NIL'];
  return paren(join(params.map(([k, v]) => join([str(k), str(v)]))));
}

function disposition(part: MimePart): Chunk[] {
  const value = header(part, 'content-disposition');
  if (!value) return ['NIL'];
  const [kind, params] = splitParams(value);
  if (!kind) return ['NIL'];
  return paren(join([str(kind.toLowerCase()), paramList(params)]));
}

function language(part: MimePart): Chunk[] {
  const value = header(part, 'content-language');
  if (!value) return ['NIL'];
  const tags = value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags.length === 1) return str(tags[0]);
  return paren(join(tags.map((t) => str(t))));
}
