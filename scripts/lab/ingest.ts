/** Importing a source (a folder, the demo catalog, NPZ files) in the headless lab, and printing what came in. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatDuration } from '../../src/core/format';
import { classesFromJson } from '../../src/core/npzDataset';
import { done, status } from './progress';
import { fail, mustExist, type Session, type Summary } from './session';

export function sourceKind(
  args: string[],
): { kind: 'demo'; perClass: number } | { kind: 'folder'; path: string } | { kind: 'npz'; paths: string[] } {
  if (!args.length) fail('give a source: a folder, demo[:N] or .npz files');
  const m = /^demo(?::(\d+))?$/.exec(args[0]!);
  if (m) {
    const perClass = m[1] ? Number(m[1]) : 100;
    if (!(perClass >= 2 && perClass <= 941)) fail('demo:N takes 2 to 941 images per class');
    return { kind: 'demo', perClass };
  }
  for (const a of args) mustExist(a, /\.(npz|json)$/i.test(a) ? 'file' : 'folder');
  if (args.every((a) => /\.(npz|json)$/i.test(a))) return { kind: 'npz', paths: withSidecars(args) };
  if (args.length > 1) fail('give one folder (or several .npz files)');
  if (!statSync(args[0]!).isDirectory()) fail(`${args[0]} is not a folder`);
  // A folder of the study's NPZ files (and their sidecar JSON) is read as NPZ, not walked for photos.
  const npz = readdirSync(args[0]!).filter((n) => /\.npz$/i.test(n));
  if (npz.length) return { kind: 'npz', paths: withSidecars(npz.map((n) => join(args[0]!, n))) };
  return { kind: 'folder', path: args[0]! };
}

/** The NPZ files given, plus the JSON files beside them (the page picks the sidecar that names their classes). */
function withSidecars(paths: string[]): string[] {
  const beside = [...new Set(paths.filter((p) => /\.npz$/i.test(p)).map((p) => dirname(p)))].flatMap((d) =>
    readdirSync(d)
      .filter((n) => /\.json$/i.test(n))
      .map((n) => join(d, n)),
  );
  return [...new Set([...paths, ...beside])];
}

/** --classes: "study" (the study's order for the files' name, as the page offers it) or a JSON file of names. */
export function classesOption(value: string | undefined): 'study' | string[][] | undefined {
  if (value === undefined || value === 'study') return value;
  mustExist(value, 'file');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(value, 'utf8'));
  } catch {
    fail(`--classes: ${value} is not valid JSON`);
  }
  return (
    classesFromJson(json) ?? fail(`--classes: ${value} does not list class names ({"classes": ["A/B", …]})`)
  );
}

export async function ingest(lab: Session, args: string[], classes?: 'study' | string[][]): Promise<Summary> {
  const src = sourceKind(args);
  if (classes && src.kind !== 'npz')
    fail('--classes is for .npz files (a folder of photos names its classes)');
  status(
    `Importing ${src.kind === 'demo' ? `the demo catalog (${src.perClass} per class)` : args.join(' ')}…`,
    true,
  );
  const t0 = Date.now();
  let summary: Summary;
  if (src.kind === 'demo') summary = await lab.call('ingestDemo', src.perClass);
  else if (src.kind === 'npz') {
    await lab.give('files', src.paths);
    summary = await lab.call('ingestNpz', classes);
  } else {
    await lab.give('folder', [src.path]);
    summary = await lab.call('ingestFolder');
  }
  done(
    `Imported ${summary.images} images in ${summary.classes.length} classes in ${formatDuration((Date.now() - t0) / 1000)}.`,
  );
  return summary;
}

export function printSummary(s: Summary) {
  const out: string[] = [`${s.name}: ${s.images} images, ${s.classes.length} classes`, ''];
  out.push(
    `${'label'.padEnd(48)} ${'images'.padStart(7)} ${'train'.padStart(6)} ${'val'.padStart(5)} ${'test'.padStart(5)}`,
  );
  for (const r of s.tree)
    out.push(
      `${('  '.repeat(r.depth) + r.name).padEnd(48)} ${String(r.total).padStart(7)} ${String(r.splits[0]).padStart(6)} ${String(r.splits[1]).padStart(5)} ${String(r.splits[2]).padStart(5)}`,
    );
  out.push('', `split: ${s.splitSizes[0]} train, ${s.splitSizes[1]} validation, ${s.splitSizes[2]} test`);
  out.push(`skipped: ${s.skipped.length} file${s.skipped.length === 1 ? '' : 's'}`);
  for (const k of s.skipped) out.push(`  ${k.path}: ${k.reason}`);
  for (const d of s.duplicates.filter((x) => x.severe)) out.push(`warning: ${d.text}`);
  process.stdout.write(out.join('\n') + '\n');
}
