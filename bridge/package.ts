// `npm run package`: the second way in (issue 18), a package for `npx mailwire`. It holds the
// app prebuilt (dist/, precompressed) and the bridge bundled into one JavaScript file by esbuild
// (which the toolchain already brings), and depends only on what that file imports at run time:
// no Vite, Svelte or tsx. Writes the tarball (`npm pack`) into the directory given (default
// ./package-out) and prints its path. The repository's own `npm install && npm start` is untouched.
import { builtinModules } from 'node:module';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildIfNeeded, projectRoot } from './build.ts';

/** Imported by the bundle at run time; everything else is bundled in. */
const RUNTIME = ['ws', 'smtp-server', 'postal-mime', 'selfsigned'];
const OPTIONAL = ['bufferutil', 'utf-8-validate'];

const BIN = `#!/usr/bin/env node
// npx mailwire: the bundled bridge, serving the app built into this package (unless --dist-dir
// or MAILWIRE_DIST_DIR says otherwise).
import { fileURLToPath } from 'node:url';
process.env.MAILWIRE_DIST_DIR ??= fileURLToPath(new URL('../dist', import.meta.url));
await import('../lib/mailwire.js');
`;

export async function makePackage(outDir: string, say: (line: string) => void = () => {}): Promise<string> {
  const root = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    version: string;
    description: string;
    engines: Record<string, string>;
    dependencies: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  await buildIfNeeded(join(projectRoot, 'dist'), say);
  const stage = mkdtempSync(join(tmpdir(), 'mw-package-'));
  try {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [join(projectRoot, 'bridge/main.ts')],
      outfile: join(stage, 'lib/mailwire.js'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: [...RUNTIME, ...OPTIONAL, 'vite'], // vite: only behind --build-if-needed, never in the package
      metafile: true,
      logLevel: 'warning',
      legalComments: 'none',
      // CommonJS packages bundled into this ES module (dns-packet) still require() Node's built-ins:
      // give the bundle a real require for them.
      banner: {
        js: "import { createRequire as __mailwireCreateRequire } from 'node:module'; const require = __mailwireCreateRequire(import.meta.url);",
      },
    });
    // Every bare import left in the bundle must be a declared runtime dependency (or node:).
    const imported = new Set(
      Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)),
    );
    const undeclared = [...imported].filter(
      (p) => !p.startsWith('node:') && !builtinModules.includes(p) && ![...RUNTIME, ...OPTIONAL, 'vite'].includes(p),
    );
    if (undeclared.length) throw new Error(`the bundle imports undeclared packages: ${undeclared.join(', ')}`);
    const pick = (names: string[], from: Record<string, string> = {}) =>
      Object.fromEntries(
        names
          .filter((n) => from[n] || root.optionalDependencies?.[n])
          .map((n) => [n, from[n] ?? root.optionalDependencies![n]!]),
      );
    mkdirSync(join(stage, 'bin'));
    writeFileSync(join(stage, 'bin/mailwire.js'), BIN);
    chmodSync(join(stage, 'bin/mailwire.js'), 0o755);
    cpSync(join(projectRoot, 'dist'), join(stage, 'dist'), { recursive: true });
    cpSync(join(projectRoot, 'README.md'), join(stage, 'README.md'));
    const manifest = {
      name: 'mailwire',
      version: root.version,
      description: root.description,
      type: 'module',
      bin: { mailwire: 'bin/mailwire.js' },
      files: ['bin', 'lib', 'dist', 'README.md'],
      engines: root.engines,
      dependencies: pick(RUNTIME, root.dependencies),
      optionalDependencies: pick(['bufferutil'], root.optionalDependencies),
    };
    writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    mkdirSync(outDir, { recursive: true });
    const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', outDir], {
      cwd: stage,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop()!;
    return join(outDir, name);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(projectRoot, 'bridge/package.ts')) {
  const out = resolve(process.argv[2] ?? 'package-out');
  makePackage(out, (l) => process.stdout.write(`${l}\n`)).then(
    (tarball) => process.stdout.write(`${tarball}\n`),
    (err: Error) => {
      process.stderr.write(`mailwire package: ${err.message}\n`);
      process.exit(1);
    },
  );
}
