/**
 * The scripts' one argument parser: node:util's parseArgs, strict. An unknown or misspelt flag, a flag missing
 * its value, a value given to a switch, or a stray argument is an error: one line that names it (and the
 * nearest known flag), then the usage, exit code 2. `--help` / `-h` prints the usage and exits 0.
 */
import { basename } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'];

/** A command line that does not fit the script's flags; the message is one line for the user. */
export class UsageError extends Error {}

/** The flags' values, or a UsageError. No `help` flag of its own: see scriptFlags. */
export function readFlags<const O extends Options>(argv: readonly string[], options: O): Values<O> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const message = (e as Error).message.split('\n')[0]!.replace(/\. This command does not take.*$/, '');
    const given = /^Unknown option '(-[^']*)'/.exec(message)?.[1];
    const near = given ? nearestFlag(given, Object.keys(options)) : undefined;
    throw new UsageError(near ? `${message} (did you mean --${near}?)` : message);
  }
}

/** The known flag closest to a misspelt one, within two edits (or one for short names). */
export function nearestFlag(given: string, known: readonly string[]): string | undefined {
  const name = given.replace(/^-+/, '').split('=')[0]!;
  let best: { flag: string; d: number } | undefined;
  for (const flag of known) {
    const d = editDistance(name, flag);
    if (d <= (flag.length > 4 ? 2 : 1) && (!best || d < best.d)) best = { flag, d };
  }
  return best?.flag;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** A number given as a flag's value; `whole` asks for an integer. */
export function numberFlag(name: string, value: string, whole = false): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (whole && !Number.isInteger(n)))
    throw new UsageError(`--${name} needs a ${whole ? 'whole number' : 'number'}, not '${value}'`);
  return n;
}

export interface ScriptFlags<V> {
  values: V;
  /** The flag's value as a number (the fallback when it was not given), or exit with the usage. */
  number(name: string, fallback?: number, whole?: boolean): number;
  /** Exit code 2 with a one-line message and the usage. */
  fail(message: string): never;
}

/**
 * The script's flags from process.argv, with `--help` / `-h` added. On a usage error it prints
 * "<script>: <message>" and the usage to stderr and exits 2; on --help it prints the usage and exits 0.
 */
export function scriptFlags<const O extends Options>(
  usage: string,
  options: O,
  argv: readonly string[] = process.argv.slice(2),
): ScriptFlags<Values<O>> {
  const script = basename(process.argv[1] ?? 'script').replace(/\.[cm]?[jt]s$/, '');
  const fail = (message: string): never => {
    process.stderr.write(`${script}: ${message}\n\n${usage.trimEnd()}\n`);
    process.exit(2);
  };
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof UsageError) return fail(e.message);
      throw e;
    }
  };
  const withHelp: Options = { ...options, help: { type: 'boolean', short: 'h' } };
  const { help, ...values } = guard(() => readFlags(argv, withHelp)) as Record<string, unknown>;
  if (help) {
    process.stdout.write(`${usage.trimEnd()}\n`);
    process.exit(0);
  }
  return {
    values: values as Values<O>,
    number(name, fallback, whole = false) {
      const v = values[name];
      if (v === undefined && fallback !== undefined) return fallback;
      if (typeof v !== 'string') return fail(`--${name} needs a value`);
      return guard(() => numberFlag(name, v, whole));
    },
    fail,
  };
}
