// The studio's state: the message being built (or opened), the selected part, and its generated
// raw form. Generation runs in a Web Worker once attachments are large, so typing never freezes.
import {
  EXAMPLES,
  addPart,
  countStuffedLines,
  attachment,
  findById,
  generate,
  multipart,
  parseMessage,
  removePart,
  reorder,
  replaceNode,
  text,
  validate,
  wrapInMultipart,
  type Generated,
  type Header,
  type MimeMessage,
  type MimeNode,
  type MultipartSubtype,
  type Problem,
} from '../../mime/index.ts';

/** Above this many attachment bytes, generate in a worker. */
const WORKER_THRESHOLD = 512 * 1024;

function attachmentBytes(node: MimeNode): number {
  if (node.kind === 'attachment') return node.data.length;
  if (node.kind === 'multipart') return node.children.reduce((n, c) => n + attachmentBytes(c), 0);
  return 0;
}

export type StudioSource = { kind: 'built' } | { kind: 'opened'; from: string; raw: Uint8Array };

class Studio {
  // Raw state: every edit replaces the whole message, and a deep proxy over a 10 MB attachment
  // would cost a full copy on each snapshot.
  message = $state.raw<MimeMessage>(structuredClone(EXAMPLES[0].message));
  /** Lines of the generated message that need dot-stuffing for SMTP DATA (RFC 5321 4.5.2). */
  stuffedLines = $state(0);
  selected = $state<string | null>(null);
  generated = $state.raw<Generated | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);
  source = $state.raw<StudioSource>({ kind: 'built' });
  problems = $derived<Problem[]>(validate(this.message.body));
  private worker: Worker | null = null;
  private generation = 0;

  constructor() {
    this.regenerate();
  }

  get selectedNode(): MimeNode | null {
    return this.selected ? findById(this.message.body, this.selected) : null;
  }

  header(name: string): string {
    return this.message.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value ?? '';
  }

  setHeader(name: string, value: string): void {
    const rest = this.message.headers.filter((h) => h.name.toLowerCase() !== name.toLowerCase());
    const headers: Header[] = value.trim() ? [...rest, { name, value }] : rest;
    this.update({ ...this.message, headers });
  }

  loadExample(name: string): void {
    const ex = EXAMPLES.find((e) => e.name === name);
    if (!ex) return;
    this.source = { kind: 'built' };
    this.selected = null;
    this.update(structuredClone(ex.message));
  }

  async open(raw: Uint8Array, from: string): Promise<void> {
    try {
      const parsed = await parseMessage(raw);
      this.source = { kind: 'opened', from, raw };
      this.selected = null;
      // Show the bytes exactly as received until the learner edits something.
      this.message = parsed.message;
      this.error = null;
      this.generation++;
      this.generated = { bytes: raw, ranges: parsed.ranges, sizes: {}, headers: parsed.message.headers };
      this.stuffedLines = countStuffedLines(raw);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  edit(f: (root: MimeNode) => MimeNode): void {
    try {
      this.update({ ...this.message, body: f(this.message.body) });
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  replace(node: MimeNode): void {
    this.edit((root) => replaceNode(root, node));
  }
  add(parentId: string, child: MimeNode): void {
    this.edit((root) => addPart(root, parentId, child));
    this.selected = child.id;
  }
  addText(parentId: string, subtype: 'plain' | 'html'): void {
    this.add(parentId, text(subtype === 'html' ? '<p>Hello</p>\n' : 'Hello\n', subtype));
  }
  addFile(parentId: string, file: { name: string; type: string; data: Uint8Array }): void {
    this.add(parentId, attachment(file.type || 'application/octet-stream', file.data, { filename: file.name }));
  }
  wrap(id: string, subtype: MultipartSubtype): void {
    this.edit((root) => wrapInMultipart(root, id, subtype));
  }
  move(id: string, index: number): void {
    this.edit((root) => reorder(root, id, index));
  }
  remove(id: string): void {
    this.edit((root) => removePart(root, id));
    if (this.selected === id) this.selected = null;
  }
  newMultipartRoot(subtype: MultipartSubtype): void {
    this.edit((root) => multipart(subtype, [root]));
  }

  private update(message: MimeMessage): void {
    this.message = message;
    this.error = null;
    this.regenerate();
  }

  /** Raw bytes of what the studio shows: the generated message, or the opened one as received. */
  get rawBytes(): Uint8Array | null {
    return this.generated?.bytes ?? null;
  }

  private regenerate(): void {
    const id = ++this.generation;
    const message = this.message;
    if (attachmentBytes(message.body) < WORKER_THRESHOLD || typeof Worker === 'undefined') {
      try {
        this.generated = generate(message, { domain: 'practice.test' });
        this.stuffedLines = countStuffedLines(this.generated.bytes);
      } catch (e) {
        this.generated = null;
        this.error = (e as Error).message;
      }
      return;
    }
    this.busy = true;
    this.worker ??= new Worker(new URL('./generate.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (
      ev: MessageEvent<{ id: number; result?: Generated; stuffedLines?: number; error?: string }>,
    ) => {
      if (ev.data.id !== this.generation) return; // a newer edit is on its way
      this.busy = false;
      this.generated = ev.data.result ?? null;
      this.stuffedLines = ev.data.stuffedLines ?? 0;
      this.error = ev.data.error ?? null;
    };
    this.worker.postMessage({ id, message });
  }
}

export const studio = new Studio();
