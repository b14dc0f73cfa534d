import { describe, expect, it } from 'vitest';
import { EXAMPLES, loadExample } from '../../../app/src/transcript/examples/index.ts';
import { exportRfcText } from '../../../app/src/transcript/export-text.ts';
import { splitSteps } from '../../../app/src/transcript/steps.ts';

describe('bundled examples', () => {
  it('has one example per protocol', () => {
    expect(EXAMPLES.map((e) => e.protocol).sort()).toEqual(['imap', 'pop3', 'smtp']);
  });
  for (const example of EXAMPLES) {
    it(`${example.name} imports, is a real practice session and every step is answered`, () => {
      const t = loadExample(example.name)!;
      expect(t.meta.protocol).toBe(example.protocol);
      expect(t.meta.target).toMatch(/^practice\//);
      const steps = splitSteps(t);
      expect(steps.filter((s) => s.kind === 'command').length).toBeGreaterThanOrEqual(6);
      expect(steps.every((s) => s.complete)).toBe(true);
      expect(steps.some((s) => s.kind === 'tls')).toBe(true);
      // The practice password is marked as a secret, so replay and exports mask it by default.
      expect(t.events.some((e) => e.kind === 'sent' && (e.secret?.length ?? 0) > 0)).toBe(true);
      expect(exportRfcText(t)).toContain('********');
    });
  }
  it('returns null for a name that is not bundled', () => {
    expect(loadExample('nntp-first')).toBeNull();
  });
});
