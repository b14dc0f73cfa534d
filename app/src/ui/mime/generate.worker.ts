// Generates a message off the main thread: a 10 MB attachment must not freeze the studio.
import { countStuffedLines, generate, type MimeMessage } from '../../mime/index.ts';

self.onmessage = (ev: MessageEvent<{ id: number; message: MimeMessage }>) => {
  const { id, message } = ev.data;
  try {
    const result = generate(message, { domain: 'practice.test' });
    (self as unknown as Worker).postMessage({ id, result, stuffedLines: countStuffedLines(result.bytes) }, [
      result.bytes.buffer,
    ]);
  } catch (e) {
    (self as unknown as Worker).postMessage({ id, error: (e as Error).message });
  }
};
