// THREAD (RFC 5256 sections 3-4): ORDEREDSUBJECT (group by base subject) and REFERENCES (the
// Message-ID/References algorithm of section 4), and the parenthesised thread-list response.
// Pure: no Node APIs.
import { decodeWords } from 'postal-mime';
import { header } from './mime-structure.ts';
import { casemap, sentTime, subjectInfo, type Sortable } from './sort.ts';

export const THREAD_ALGORITHMS = ['ORDEREDSUBJECT', 'REFERENCES'] as const;
export type ThreadAlgorithm = (typeof THREAD_ALGORITHMS)[number];

/** A message in a thread tree, or a dummy (no message) holding children together. */
export interface ThreadNode {
  message: Sortable | null;
  children: ThreadNode[];
  parent: ThreadNode | null;
}

export function threadMessages(algorithm: ThreadAlgorithm, messages: Sortable[]): ThreadNode[] {
  return algorithm === 'ORDEREDSUBJECT' ? orderedSubject(messages) : references(messages);
}

/**
 * `(2)(3 6 (4 23)(44 7 96))`: one list per thread (RFC 5256 section 5, thread-list). Walked with
 * a stack, not recursion: a reply chain thousands deep must not overflow the call stack.
 */
export function renderThreads(roots: ThreadNode[], number: (m: Sortable) => number): string {
  const out: string[] = [];
  const stack: Array<ThreadNode | string> = [];
  for (const root of [...roots].reverse()) stack.push(')', root, '(');
  while (stack.length) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    if (item.message) out.push(String(number(item.message)));
    if (!item.children.length) continue;
    if (item.message) out.push(' ');
    if (item.children.length === 1) stack.push(item.children[0]);
    else for (const c of [...item.children].reverse()) stack.push(')', c, '(');
  }
  return out.join('');
}

/** Every node under `root`, parents before their children (iteratively, see renderThreads). */
function preorder(root: ThreadNode): ThreadNode[] {
  const order: ThreadNode[] = [];
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    order.push(node);
    stack.push(...node.children);
  }
  return order;
}

/** Sent date, then sequence number; a dummy goes by its first child (section 2.2, step 6). */
function byDate(a: ThreadNode, b: ThreadNode): number {
  const x = representative(a);
  const y = representative(b);
  if (!x || !y) return 0;
  return sentTime(x) - sentTime(y) || x.seq - y.seq;
}

function representative(node: ThreadNode): Sortable | null {
  return node.message ?? (node.children[0] ? representative(node.children[0]) : null);
}

/** The base subject, case-folded as SORT compares it (i;ascii-casemap), and the reply mark. */
function subjectOf(m: Sortable): { base: string; reply: boolean } {
  const info = subjectInfo(decodeWords((m.root ? header(m.root, 'subject') : null) ?? ''));
  return { base: casemap(info.base), reply: info.reply };
}

/**
 * ORDEREDSUBJECT: messages sorted by base subject, then sent date; each run of one subject is a
 * thread whose first message is the parent of all the others; threads in order of their first
 * message's sent date (RFC 5256 section 3).
 */
function orderedSubject(messages: Sortable[]): ThreadNode[] {
  const groups = new Map<string, Sortable[]>();
  for (const m of messages) {
    const base = subjectOf(m).base;
    groups.set(base, [...(groups.get(base) ?? []), m]);
  }
  const roots: ThreadNode[] = [];
  for (const members of groups.values()) {
    const nodes = members.map((m) => ({ message: m, children: [], parent: null }) as ThreadNode).sort(byDate);
    const [first, ...rest] = nodes;
    for (const n of rest) adopt(first, n);
    roots.push(first);
  }
  return roots.sort(byDate);
}

function adopt(parent: ThreadNode, child: ThreadNode): void {
  if (child.parent) child.parent.children = child.parent.children.filter((c) => c !== child);
  child.parent = parent;
  parent.children.push(child);
}

/** True when `a` is `b` or lies under it: linking a under... b would close a loop. */
function isDescendant(a: ThreadNode, b: ThreadNode): boolean {
  for (let n: ThreadNode | null = a; n; n = n.parent) if (n === b) return true;
  return false;
}

function messageIds(value: string | null): string[] {
  if (!value) return [];
  return [...value.replace(/\([^)]*\)/g, '').matchAll(/<([^<>]+)>/g)]
    .map((m) => m[1].replace(/\s+/g, ''))
    .filter(Boolean);
}

/** REFERENCES (RFC 5256 section 4), step by step. */
function references(messages: Sortable[]): ThreadNode[] {
  const byId = new Map<string, ThreadNode>();
  const container = (id: string): ThreadNode => {
    let node = byId.get(id);
    if (!node) byId.set(id, (node = { message: null, children: [], parent: null }));
    return node;
  };
  const all: ThreadNode[] = [];
  let unique = 0;
  for (const m of [...messages].sort((a, b) => a.seq - b.seq)) {
    // 1.A: a missing or duplicate Message-ID gets a unique one; later messages with it do not count.
    const own = messageIds(m.root ? header(m.root, 'message-id') : null)[0];
    const taken = own !== undefined && byId.get(own)?.message;
    const node = own !== undefined && !taken ? container(own) : container(`\u0000unique-${unique++}`);
    node.message = m;
    all.push(node);
    let refs = messageIds(m.root ? header(m.root, 'references') : null);
    if (!refs.length) refs = messageIds(m.root ? header(m.root, 'in-reply-to') : null).slice(0, 1);
    // Link the references in order, keeping links that exist and never closing a loop.
    let prev: ThreadNode | null = null;
    for (const id of refs) {
      const ref = container(id);
      if (prev && !ref.parent && !isDescendant(prev, ref)) adopt(prev, ref);
      prev = ref;
    }
    // 1.B: the old link breaks, then the last reference becomes the parent unless that closes a
    // loop; with no references the message has no parent.
    if (node.parent) {
      node.parent.children = node.parent.children.filter((c) => c !== node);
      node.parent = null;
    }
    if (prev && !isDescendant(prev, node)) adopt(prev, node);
  }
  // 2: the root set.
  const root: ThreadNode = { message: null, children: [], parent: null };
  for (const node of byId.values()) if (!node.parent) adopt(root, node);
  // 3: prune dummies.
  prune(root);
  // 4: sort the top level by sent date (a dummy by its children's first).
  for (const c of root.children) if (!c.message) c.children.sort(byDate);
  root.children.sort(byDate);
  // 5: merge threads with the same base subject.
  mergeSubjects(root);
  // 6: sort every set of siblings by sent date, deepest first.
  sortTree(root);
  return root.children.map((c) => {
    c.parent = null;
    return c;
  });
}

/** Step 3, deepest nodes first so each sees its children already pruned. */
function prune(root: ThreadNode): void {
  for (const node of preorder(root).reverse()) {
    const next: ThreadNode[] = [];
    for (const child of node.children) {
      if (child.message) next.push(child);
      else if (child.children.length === 0) continue;
      // A dummy's children move up, but not to the top level unless there is only one.
      else if (node.parent !== null || node.message || child.children.length === 1) {
        for (const g of child.children) g.parent = node;
        next.push(...child.children);
      } else next.push(child);
    }
    node.children = next;
  }
}

function mergeSubjects(root: ThreadNode): void {
  const threadSubject = (n: ThreadNode) => {
    const m = n.message ?? n.children[0]?.message ?? null;
    return m ? subjectOf(m) : { base: '', reply: false };
  };
  const table = new Map<string, ThreadNode>();
  for (const c of root.children) {
    const { base } = threadSubject(c);
    if (!base) continue;
    const old = table.get(base);
    if (!old) table.set(base, c);
    else if (old.message && (!c.message || (threadSubject(old).reply && !threadSubject(c).reply))) table.set(base, c);
  }
  for (const c of [...root.children]) {
    const { base, reply } = threadSubject(c);
    if (!base) continue;
    const kept = table.get(base)!;
    if (kept === c) continue;
    if (!kept.message && !c.message) {
      for (const g of [...c.children]) adopt(kept, g);
      root.children = root.children.filter((x) => x !== c);
    } else if (!kept.message && c.message) {
      adopt(kept, c);
    } else if (c.message && reply && kept.message && !threadSubject(kept).reply) {
      adopt(kept, c);
    } else {
      const dummy: ThreadNode = { message: null, children: [], parent: null };
      root.children.splice(root.children.indexOf(kept), 1, dummy);
      dummy.parent = root;
      kept.parent = null;
      adopt(dummy, kept);
      adopt(dummy, c);
      table.set(base, dummy);
    }
  }
}

/** Step 6: grandchildren are sorted before children (a dummy goes by its first child). */
function sortTree(root: ThreadNode): void {
  for (const node of preorder(root).reverse()) node.children.sort(byDate);
}
