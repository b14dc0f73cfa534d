// The command line: --flag VALUE, --flag=VALUE and bare boolean flags, checked against the option
// table; values stay raw (strings) for load.ts to parse.
import { SPEC } from './options.ts';
import { ConfigError, type Raw } from './types.ts';

export function parseArgv(argv: string[], raw: Raw): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--'))
      throw new ConfigError(`Unexpected argument "${arg}". Options start with "--"; see --help.`);
    let name = arg.slice(2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const spec = SPEC.get(name);
    if (name === 'class-password') {
      throw new ConfigError(
        '--class-password is gone: every student now gets their own password, kept in DATA_DIR/class/roster.csv (edit a password there and restart to change it).',
      );
    }
    if (!spec) throw new ConfigError(`Unknown option --${name}. Run with --help to list the options.`);
    if (spec.kind === 'bool') {
      raw.set(name, { value: value ?? true, from: `--${name}` });
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith('--'))
        throw new ConfigError(`Option --${name} needs a value (${spec.help}).`);
    }
    raw.set(name, { value, from: `--${name}` });
  }
}
