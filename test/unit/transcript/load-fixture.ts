// Loads a recorded transcript from test/fixtures/transcripts-recorded (real practice-server sessions).
import { readFileSync } from 'node:fs';
import { importJson } from '../../../app/src/transcript/import-json.ts';
import type { Transcript } from '../../../app/src/transcript/model.ts';

export const fixturePath = (name: string) =>
  new URL(`../../fixtures/transcripts-recorded/${name}`, import.meta.url).pathname;
export const readFixture = (name: string) => readFileSync(fixturePath(name), 'utf8');

export function loadFixture(name: string): Transcript {
  const result = importJson(readFixture(name));
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.transcript;
}
