// Starting a bench's server in a child process of its own (so that the bench's clients do not share
// its event loop, as the peers it is measured beside run apart), and stopping it.
import { spawn, type ChildProcess } from 'node:child_process';

/** A bench/*-lib.ts script in a child process that prints its port once listening. */
export async function startChild(
  script: string,
  args: string[],
  nodeArgs: string[] = [],
): Promise<{ port: number; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(Number(out.split('\n')[0]));
    });
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { port, proc };
}

export async function stopChild(child: { proc: ChildProcess }): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGTERM');
  await new Promise((r) => child.proc.once('exit', r));
}
