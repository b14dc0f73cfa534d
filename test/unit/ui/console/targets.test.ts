// The connection panel's target list (app/src/ui/console/targets.ts): faraway/* appear only when the
// running server lists them (/api/practice, while the practice internet runs), with its ports.
import { describe, expect, it } from 'vitest';
import { farawayTargetsListed, protocolOfTarget } from '../../../../app/src/ui/console/targets.ts';

describe('farawayTargetsListed', () => {
  it('lists nothing from faraway.test when the server lists only the practice targets', () => {
    expect(farawayTargetsListed([{ target: 'practice/smtp', port: 10025 }])).toEqual([]);
    expect(farawayTargetsListed([])).toEqual([]);
  });

  it('lists faraway/smtp and faraway/imaps with the ports the server gave, in the panel order', () => {
    const listed = farawayTargetsListed([
      { target: 'practice/imaps', port: 10993 },
      { target: 'faraway/imaps', port: 10994 },
      { target: 'faraway/smtp', port: 10026 },
    ]);
    expect(listed.map((t) => [t.target, t.port, t.protocol])).toEqual([
      ['faraway/smtp', 10026, 'smtp'],
      ['faraway/imaps', 10994, 'imap'],
    ]);
  });

  it('knows the protocol of every named target', () => {
    expect(protocolOfTarget('faraway/imaps')).toBe('imap');
    expect(protocolOfTarget('practice/pop3s')).toBe('pop3');
  });
});
