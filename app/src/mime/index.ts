/**
 * mailwire MIME module: pure (no DOM, no Node APIs), for the browser, a Web Worker and Node.
 *
 * Model (tree.ts)
 *   MimeMessage = { headers: Header[]; body: MimeNode }    headers are Unicode; encoding is the generator's job
 *   MimeNode    = MultipartNode ('multipart/mixed'|'alternative'|'related', children)
 *               | TextNode ('text/plain'|'text/html', text with "\n", charset)
 *               | AttachmentNode (contentType, data: Uint8Array, filename?, disposition, contentId?)
 *               | MessageNode ('message/rfc822', message: MimeMessage | Uint8Array)
 *   Every node: id, headers (extra, e.g. Content-Description), encoding ('auto'|'7bit'|'8bit'|'quoted-printable'|'base64').
 *   Builders: text(), attachment(), multipart(), messagePart(). Content-Type/-Transfer-Encoding/
 *   -Disposition/-ID are derived from node fields, never stored in `headers`.
 *
 * Edits (pure; each returns a new tree, throws MimeError with a code on a bad id)
 *   addPart(root, parentId, child, index?)  wrapInMultipart(root, id, subtype)  reorder(root, id, index)
 *   removePart(root, id)  replaceNode(root, node)  findById(root, id)  findParent(root, id)  walk(root)
 *   validate(root) -> Problem[] { id, code, severity: 'error'|'warning', message }
 *
 * Generate (generate.ts)
 *   generate(message, { now?, random?, domain? }) -> { bytes, ranges, sizes, headers }
 *     bytes   Uint8Array, CRLF line ends, headers folded at 78, RFC 2047/2231 for non-ASCII
 *     ranges  { [nodeId]: { start, headerEnd, bodyStart, end } } byte offsets into `bytes`
 *             (the root node's header range is the whole top-level header block)
 *     sizes   { [nodeId]: { decoded, encoded, encoding } } size before/after transfer encoding
 *     headers the top-level headers written, with any Date/Message-ID that were added
 *   nodeAtOffset(ranges, offset) -> id of the deepest node whose bytes hold `offset` (raw-text click)
 *   Throws MimeError (code + sentence) when validate() reports an error or content cannot be
 *   sent in the chosen encoding.
 *
 * Parse (parse.ts)
 *   await parseMessage(bytes | string) -> { message, ranges }  same model; ids are p1, p2, ... in
 *   document order; `encoding` holds the encoding found. Uses postal-mime for decoding.
 *   Throws MimeError NOT_A_MESSAGE / PARSE_FAILED. What the model does not keep: multipart
 *   subtypes other than mixed/alternative/related (read as mixed), Content-Type parameters other
 *   than charset/boundary/name, preamble and epilogue. A parsed text part in another charset
 *   (e.g. windows-1252) reads fine but must be switched to utf-8 before generate() writes it.
 *
 * SMTP DATA (smtp-data.ts)
 *   dotStuff(bytes) -> payload ending CRLF.CRLF; dotUnstuff(payload) -> bytes; countStuffedLines(bytes)
 *
 * Examples (examples.ts)
 *   EXAMPLES: { name, file, title, description, message }[]; exampleOptions(name) gives the fixed clock
 *   and seed that produced the .eml files in ./examples/.
 */
export * from './tree.ts';
export {
  generate,
  nodeAtOffset,
  type ByteRange,
  type GenerateOptions,
  type Generated,
  type PartSize,
} from './generate.ts';
export { parseMessage, type Parsed } from './parse.ts';
export { dotStuff, dotUnstuff, countStuffedLines } from './smtp-data.ts';
export { EXAMPLES, EXAMPLE_PNG, exampleOptions, type Example } from './examples.ts';
export { MimeError } from './errors.ts';
export {
  formatDate,
  seededRandom,
  cryptoRandom,
  formatAddressList,
  parseAddressList,
  type Mailbox,
  type RandomSource,
} from './headers.ts';
export { chooseTextEncoding } from './body.ts';
