// Warnings every protocol shares: line endings and line length.
import { rfc, type RfcRef, type Warning } from './types.ts';
import { lineEndingProblem } from './lines.ts';
import { utf8Length } from './bytes.ts';

export function lineWarnings(line: string, maxOctets: number, where: RfcRef): Warning[] {
  const out: Warning[] = [];
  const ending = lineEndingProblem(line);
  if (ending === 'bare-lf') {
    out.push({
      code: 'BARE_LF',
      severity: 'error',
      message:
        'This text holds a line feed without a carriage return. Mail protocols end every line with CR LF; send each line on its own and the console adds CR LF.',
      rfc: rfc(5321, '2.3.8'),
      fix: line.replace(/\r?\n/g, '\r\n'),
    });
  } else if (ending === 'bare-cr') {
    out.push({
      code: 'BARE_CR',
      severity: 'error',
      message:
        'This text holds a carriage return that is not followed by a line feed; servers reject or mangle a lone CR.',
      rfc: rfc(5321, '2.3.8'),
    });
  }
  const octets = utf8Length(line);
  if (octets > maxOctets) {
    out.push({
      code: 'LINE_TOO_LONG',
      severity: 'warning',
      message: `This line is ${octets} octets; the protocol limit here is ${maxOctets} including CR LF, so the server may cut it or refuse it.`,
      rfc: where,
    });
  }
  return out;
}
