import { describe, expect, it } from 'vitest';
import {
  REVISION_DIFFERENCES,
  revisionDifference,
  revisionDifferences,
} from '../../../../app/src/protocols/imap/revisions.ts';
import { RFC_SECTIONS } from '../../../../app/src/lessons/rfc-sections.ts';

describe('the IMAP4rev1 / IMAP4rev2 table (RFC 9051 Appendix E)', () => {
  it('cites a section of RFC 9051 that exists for every row, with ids unique', () => {
    const ids = REVISION_DIFFERENCES.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of REVISION_DIFFERENCES) {
      expect(d.rfc.doc, d.id).toBe('RFC 9051');
      expect(RFC_SECTIONS[9051].sections[d.rfc.section!], d.id).toBeDefined();
      expect(d.rev1.length, d.id).toBeGreaterThan(20);
      expect(d.rev2.length, d.id).toBeGreaterThan(20);
    }
  });

  it('finds rows by untagged names or by the command a tagged reply completes', () => {
    expect(revisionDifferences({ tagged: false, names: ['SEARCH'] }).map((d) => d.id)).toEqual(['search-esearch']);
    expect(revisionDifferences({ tagged: true, names: ['UID', 'SEARCH'] }).map((d) => d.id)).toEqual([
      'search-esearch',
      'search-charset',
    ]);
    expect(revisionDifferences({ tagged: true, names: ['SELECT'] }).map((d) => d.id)).toEqual([
      'select-recent',
      'select-list',
      'select-unseen',
    ]);
    expect(revisionDifferences({ tagged: false, names: ['\\recent'] }).map((d) => d.id)).toEqual(['recent-flag']);
    expect(revisionDifferences({ tagged: false, names: ['EXISTS', 'LIST'] })).toEqual([]);
    expect(() => revisionDifference('nope')).toThrow(/no IMAP revision difference/);
  });
});
