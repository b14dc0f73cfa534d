// limits.idleTimeoutMs: a silent connection is closed with BYE (and nothing else breaks).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RawClient, startPractice, type Practice } from './harness.ts';

let practice: Practice;
beforeAll(async () => {
  practice = await startPractice({ limits: { idleTimeoutMs: 300 } });
});
afterAll(async () => {
  await practice?.close();
});

it('closes a connection idle past idleTimeoutMs with BYE', async () => {
  const c = await RawClient.connect(practice.plain.port);
  expect(await c.command('a', 'LOGIN alice practice')).toMatch(/^a OK/m);
  const rest = await c.readUntil(() => c.closed, 3000);
  expect(rest).toBe('* BYE Idle for too long; closing the connection.\r\n');
  const again = await RawClient.connect(practice.plain.port);
  expect(await again.command('b', 'NOOP')).toBe('b OK NOOP completed.\r\n');
  again.close();
});
