import { describe, expect, it } from 'vitest';
import { exportCurl } from '../../../app/src/transcript/export-curl.ts';
import { exportPythonScript } from '../../../app/src/transcript/export-script.ts';
import { exportSwaks } from '../../../app/src/transcript/export-swaks.ts';
import { exportRfcText, exportSwaksText } from '../../../app/src/transcript/export-text.ts';
import { EXAMPLES, loadExample } from '../../../app/src/transcript/examples/index.ts';
import { readExport } from '../../../app/src/transcript/read-export.ts';
import type { Transcript } from '../../../app/src/transcript/model.ts';

/** The example with a STARTTLS upgrade in the middle (a tls event after the greeting). */
function withTls(t: Transcript): Transcript {
  const tls = {
    t: 1,
    kind: 'tls' as const,
    tls: {
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      certificate: null,
      verified: false,
      verifyReason: 'practice',
    },
    discardedPlaintextBytes: 0,
  };
  return {
    ...t,
    events: [...t.events.slice(0, 3), tls as unknown as Transcript['events'][number], ...t.events.slice(3)],
  };
}

describe('readExport: the text exports mailwire writes, read back', () => {
  for (const ex of EXAMPLES) {
    it(`${ex.name}: the C:/S: and swaks-style exports give the same lines, notes dropped`, () => {
      const t = loadExample(ex.name)!;
      const rfc = readExport(exportRfcText(t));
      const swaks = readExport(exportSwaksText(t));
      expect(rfc?.kind).toBe('transcript');
      expect(swaks?.kind).toBe('transcript');
      if (rfc?.kind !== 'transcript' || swaks?.kind !== 'transcript') return;
      expect(swaks.lines).toEqual(rfc.lines);
      expect(rfc.lines.some((l) => l.dir === 'C' && /Connected/.test(l.text))).toBe(false);
      expect(rfc.lines.filter((l) => l.dir === 'S').length).toBeGreaterThan(3);
    });
  }
  it('each "TLS started" note becomes a TLS step, in both styles', () => {
    const t = withTls(loadExample('smtp-first')!);
    for (const text of [exportRfcText(t), exportSwaksText(t)]) {
      const r = readExport(text);
      expect(r?.kind === 'transcript' && r.lines.filter((l) => l.dir === 'TLS').length).toBe(
        t.events.filter((e) => e.kind === 'tls').length,
      );
    }
  });
  it('recognises the Python, curl and swaks exports as programs, with advice', () => {
    const t = loadExample('smtp-first')!;
    const curl = exportCurl(t);
    const swaks = exportSwaks(t);
    expect(readExport(exportPythonScript(t))).toMatchObject({ kind: 'script', format: 'mailwire Python export' });
    expect(curl.ok && readExport(curl.command)).toMatchObject({ kind: 'script', format: 'mailwire curl export' });
    expect(swaks.ok && readExport(swaks.command)).toMatchObject({ kind: 'script', format: 'mailwire swaks export' });
  });
  it('leaves other text (plain C:/S: lines, a raw log) to the other readers', () => {
    expect(readExport('S: 220 hi\nC: QUIT\nS: 221 bye\n')).toBeNull();
    expect(readExport('220 hi\n221 bye\n')).toBeNull();
  });
});
