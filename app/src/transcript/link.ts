// Shareable links (hash routes) to a bundled example at a step, to any recorded session at a step,
// or to a lesson step, so a teacher can point a class at one place:
//   #/replay/example/smtp-first?step=4   #/replay/session/<data>?step=2   #/lesson/smtp-first/3
// Step numbers in links count from 1 (as people count); the cursor counts from 0. A session link
// carries the transcript itself (its JSON export, base64url): no server keeps it.

import { fromBase64, toBase64 } from './bytes.ts';
import { toJsonValue } from './export-json.ts';
import { importJson, type ImportResult } from './import-json.ts';
import type { Transcript } from './model.ts';

export type ShareLink =
  | { kind: 'example'; example: string; step: number | null }
  | { kind: 'session'; data: string; step: number | null }
  | { kind: 'lesson'; lesson: string; step: number };

export type LinkErrorCode =
  | 'LINK_EMPTY'
  | 'LINK_UNKNOWN_ROUTE'
  | 'LINK_BAD_NAME'
  | 'LINK_BAD_STEP'
  | 'LINK_UNKNOWN_EXAMPLE'
  | 'LINK_BAD_SESSION'
  | 'LINK_TOO_LONG';

/** The longest session data a link carries (browsers and chat tools cut longer addresses). */
export const MAX_SESSION_DATA = 60_000;

/** A recorded session as link data: its JSON export (masked unless `reveal`), base64url. */
export function sessionLinkData(transcript: Transcript, reveal = false): string {
  const bytes = new TextEncoder().encode(JSON.stringify(toJsonValue(transcript, { reveal })));
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The transcript a session link carries, checked as strictly as an imported JSON file. */
export function sessionFromLinkData(data: string): ImportResult {
  const b64 = data.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = fromBase64(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const text = bytes ? new TextDecoder('utf-8', { fatal: false }).decode(bytes) : '';
  return importJson(text);
}

export class LinkError extends Error {
  constructor(
    readonly code: LinkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LinkError';
  }
}

export type LinkResult = { ok: true; link: ShareLink } | { ok: false; error: LinkError };

/** Example and lesson names: lower-case words joined by "-", as the bundled files are named. */
const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const checkName = (name: string, what: string) => {
  if (!NAME.test(name)) {
    throw new LinkError(
      'LINK_BAD_NAME',
      `"${name}" is not a valid ${what} name: use lower-case letters, digits and "-" (e.g. smtp-first).`,
    );
  }
};
const parseStep = (text: string): number => {
  if (!/^[1-9][0-9]{0,5}$/.test(text)) {
    throw new LinkError(
      'LINK_BAD_STEP',
      `Step "${text}" is not a step number: use a whole number from 1 (the first step).`,
    );
  }
  return Number(text);
};

export function buildLink(link: ShareLink): string {
  if (link.kind === 'session') {
    checkSession(link.data);
    return `#/replay/session/${link.data}${link.step === null ? '' : `?step=${parseStep(String(link.step))}`}`;
  }
  if (link.kind === 'example') {
    checkName(link.example, 'example');
    if (link.step === null) return `#/replay/example/${link.example}`;
    return `#/replay/example/${link.example}?step=${parseStep(String(link.step))}`;
  }
  checkName(link.lesson, 'lesson');
  return `#/lesson/${link.lesson}/${parseStep(String(link.step))}`;
}

/**
 * Parses a hash (with or without "#", or a full URL). `knownExamples`, when given, turns a link to
 * an example that is not bundled into a clear error instead of an empty replay.
 */
export function parseLink(input: string, knownExamples?: readonly string[]): LinkResult {
  try {
    return { ok: true, link: parseOrThrow(input, knownExamples) };
  } catch (e) {
    if (e instanceof LinkError) return { ok: false, error: e };
    throw e;
  }
}

function parseOrThrow(input: string, knownExamples?: readonly string[]): ShareLink {
  const hashAt = input.indexOf('#');
  const hash = (hashAt >= 0 ? input.slice(hashAt + 1) : input).trim();
  if (hash === '' || hash === '/')
    throw new LinkError('LINK_EMPTY', 'The link has no route: expected #/replay/example/NAME or #/lesson/NAME/STEP.');
  const [path, query = ''] = hash.split('?', 2) as [string, string?];
  const segments = path.replace(/^\//, '').replace(/\/$/, '').split('/').map(decodeSegment);

  if (segments[0] === 'replay' && segments[1] === 'example' && segments.length === 3) {
    const example = segments[2]!;
    checkName(example, 'example');
    if (knownExamples && !knownExamples.includes(example)) {
      throw new LinkError(
        'LINK_UNKNOWN_EXAMPLE',
        `There is no bundled example "${example}". Bundled: ${knownExamples.join(', ')}.`,
      );
    }
    const params = new URLSearchParams(query);
    const unknown = [...params.keys()].filter((k) => k !== 'step');
    if (unknown.length)
      throw new LinkError('LINK_UNKNOWN_ROUTE', `Unknown link parameter "${unknown[0]}": only "step" is understood.`);
    const step = params.get('step');
    return { kind: 'example', example, step: step === null ? null : parseStep(step) };
  }
  if (segments[0] === 'replay' && segments[1] === 'session' && segments.length === 3) {
    const data = segments[2]!;
    checkSession(data);
    const params = new URLSearchParams(query);
    const unknown = [...params.keys()].filter((k) => k !== 'step');
    if (unknown.length)
      throw new LinkError('LINK_UNKNOWN_ROUTE', `Unknown link parameter "${unknown[0]}": only "step" is understood.`);
    const step = params.get('step');
    return { kind: 'session', data, step: step === null ? null : parseStep(step) };
  }
  if (segments[0] === 'lesson' && segments.length === 3 && query === '') {
    checkName(segments[1]!, 'lesson');
    return { kind: 'lesson', lesson: segments[1]!, step: parseStep(segments[2]!) };
  }
  throw new LinkError(
    'LINK_UNKNOWN_ROUTE',
    `"#${hash}" is not a mailwire link: expected #/replay/example/NAME?step=N or #/lesson/NAME/STEP.`,
  );
}

function checkSession(data: string): void {
  if (data.length > MAX_SESSION_DATA) {
    throw new LinkError(
      'LINK_TOO_LONG',
      `The session is too long for a link (${data.length.toLocaleString('en-US')} characters): share its JSON export instead.`,
    );
  }
  if (!/^[A-Za-z0-9_-]+$/.test(data))
    throw new LinkError(
      'LINK_BAD_SESSION',
      'The session link is damaged (it holds characters base64url does not use): copy it again.',
    );
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new LinkError('LINK_BAD_NAME', `The link segment "${segment}" has a broken %-escape.`);
  }
}
