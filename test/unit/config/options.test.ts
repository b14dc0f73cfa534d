// bridge/config/options.ts: the option table, --help, and the environment names.
import { describe, expect, it } from 'vitest';
import { envName, helpText, OPTIONS, SPEC } from '../../../bridge/config/options.ts';

describe('the option table', () => {
  it('--help lists every option, with VALUE after the ones that take one', () => {
    const text = helpText();
    for (const o of OPTIONS) expect(text).toContain(`--${o.flag}${o.kind === 'bool' ? ' ' : ' VALUE'}`);
  });
  it('names each flag once, and bounds every whole-number option', () => {
    expect(SPEC.size).toBe(OPTIONS.length);
    for (const o of OPTIONS.filter((o) => o.kind === 'int')) {
      expect(o.min, o.flag).toBeTypeOf('number');
      expect(o.max!, o.flag).toBeGreaterThan(o.min!);
    }
  });
  it('maps a flag to its environment variable', () => {
    expect(envName('allow-private')).toBe('MAILWIRE_ALLOW_PRIVATE');
    expect(envName('port')).toBe('MAILWIRE_PORT');
  });
});
