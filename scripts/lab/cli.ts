/**
 * The lab from the command line: the lab's own code in headless Chromium, so results are what the page gives.
 *
 *   npm run lab -- ingest <folder | demo[:N] | file.npz…>
 *   npm run lab -- train <source> --out DIR [--tasks "Primary,Shoes — all 11"] [--grid none|study|SPEC]
 *                  [--repeats K] [--epochs N] [--seed S] [--quick] [--backend auto|webgpu|webgl|wasm|cpu]
 *   npm run lab -- label <labeller.zip | model.zip> <image…>
 *   npm run lab -- export-npz <source> --out DIR
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { unzipSync } from 'fflate';
import { parseGridSpec } from '../../src/core/trainDraft';
import { chromiumArgs } from '../chromium';
import { machine } from '../bench/harness';
import { bar, done, formatSeconds, status } from './progress';
import { picture, REPORT_SCHEMA, REPORT_VERSION, writeReport, type Report } from './report';
import { CliError, mustExist, Session } from './session';
import type { ComparisonResult, Progress, Summary, TaskInfo, TaskResult } from './types';

const HELP = `Fashion CNN Lab on the command line (headless Chromium, the lab's own code).

Usage: npm run lab -- <command> [options]        (or: npx fashion-cnn-lab <command> …)

Commands
  ingest <source>                 import and print the label tree, counts, split sizes and skipped files
  train <source> --out DIR        train tasks as the page does; write DIR/report.json, report.md, models
  label <bundle.zip> <image…>     print every label of each image with its confidence
  export-npz <source> --out DIR   write every task and split as the study's NPZ files (+ sidecar JSON)

<source> is a folder of labelled photos (folder names are labels), demo[:N] (the demo catalog with N images
per class, default 100), or one or more .npz files (with a sidecar JSON naming the classes).

train options
  --tasks LIST      task names as the page shows them, comma-separated, any case (default: every task)
  --grid G          none (one run, the task's defaults; default), study (the study's grid for the task),
                    or a SPEC such as "filters=32,64;kernel1=3,5"
  --repeats K       runs per grid cell, seeds S, S+1, … (default 3 with a grid)
  --epochs N        epochs per run (default: the study's, 15 or 20; early stopping still applies)
  --seed S          first seed (default 1)
  --patience P      epochs without a better validation loss before stopping early (default 2, the study's)
  --quick           small models (8 filters), 3 epochs: a first look in minutes without a GPU
  --backend B       auto (default), webgpu, webgl, wasm or cpu
  --out DIR         where to write the report, models and labeller bundle

Ctrl-C stops after the current batch and still writes the report of what finished.`;

const fail = (message: string): never => {
  throw new CliError(message);
};

function sourceKind(
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
  if (args.every((a) => /\.(npz|json)$/i.test(a))) return { kind: 'npz', paths: args };
  if (args.length > 1) fail('give one folder (or several .npz files)');
  if (!statSync(args[0]!).isDirectory()) fail(`${args[0]} is not a folder`);
  return { kind: 'folder', path: args[0]! };
}

async function ingest(lab: Session, args: string[]): Promise<Summary> {
  const src = sourceKind(args);
  status(
    `Importing ${src.kind === 'demo' ? `the demo catalog (${src.perClass} per class)` : args.join(' ')}…`,
    true,
  );
  const t0 = Date.now();
  let summary: Summary;
  if (src.kind === 'demo') summary = await lab.call('ingestDemo', src.perClass);
  else if (src.kind === 'npz') {
    await lab.give('files', src.paths);
    summary = await lab.call('ingestNpz');
  } else {
    await lab.give('folder', [src.path]);
    summary = await lab.call('ingestFolder');
  }
  done(
    `Imported ${summary.images} images in ${summary.classes.length} classes in ${formatSeconds((Date.now() - t0) / 1000)}.`,
  );
  return summary;
}

function printSummary(s: Summary) {
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

function pickTasks(all: TaskInfo[], list: string | undefined): TaskInfo[] {
  if (!list) return all;
  const norm = (s: string) => s.toLowerCase().replace(/[—–-]/g, '-').replace(/\s+/g, ' ').trim();
  return list.split(',').map((name) => {
    const t = all.find((x) => norm(x.name) === norm(name));
    if (!t) fail(`no task "${name.trim()}"; this dataset has: ${all.map((x) => x.name).join(', ')}`);
    return t!;
  });
}

let stopping = false;

async function train(
  lab: Session,
  args: string[],
  opts: Record<string, string | boolean | undefined>,
  argv: string[],
) {
  const out = opts['out'] as string | undefined;
  if (!out) fail('train needs --out DIR');
  const gridOpt = (opts['grid'] as string | undefined) ?? 'none';
  let grid: 'none' | 'study' | ReturnType<typeof parseGridSpec> = 'none';
  if (gridOpt === 'study' || gridOpt === 'none') grid = gridOpt;
  else {
    try {
      grid = parseGridSpec(gridOpt);
    } catch (e) {
      fail(`--grid: ${(e as Error).message}`);
    }
  }
  const num = (name: string, min: number, max: number) => {
    const v = opts[name];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      fail(`--${name} takes a whole number from ${min} to ${max}`);
    return n;
  };
  const repeats = num('repeats', 1, 100);
  const epochs = num('epochs', 1, 1000);
  const seed = num('seed', 0, 2 ** 31 - 1);
  const patience = num('patience', 1, 1000);
  const backend = (opts['backend'] as string | undefined) ?? 'auto';
  if (!['auto', 'webgpu', 'webgl', 'wasm', 'cpu'].includes(backend))
    fail('--backend is auto, webgpu, webgl, wasm or cpu');

  const summary = await ingest(lab, args);
  const all = await lab.call<TaskInfo[]>('openTraining');
  if (!all.length) fail('this dataset has no task to train (it needs at least two classes)');
  const tasks = pickTasks(all, opts['tasks'] as string | undefined);
  await lab.call('setBackend', backend);

  let trainedOn: Progress['trainedOn'] = null;
  for (const [k, task] of tasks.entries()) {
    if (stopping) break;
    const t0 = Date.now();
    const running = lab.call<{ error: string | null }>('train', {
      taskId: task.id,
      grid,
      repeats,
      epochs,
      seed,
      patience,
      quick: !!opts['quick'],
    });
    let finished = false;
    void running.finally(() => (finished = true)).catch(() => undefined);
    let lastEpoch = '';
    while (!finished) {
      await new Promise((r) => setTimeout(r, 400));
      const p = await lab.call<Progress>('progress').catch(() => null);
      const l = p?.live;
      trainedOn = p?.trainedOn ?? trainedOn;
      if (!l || finished) continue;
      const left = l.batchesDone > 0 ? (l.seconds / l.batchesDone) * (l.batchesTotal - l.batchesDone) : NaN;
      const epochText = `run ${l.index + 1}/${l.runs} epoch ${Math.min(l.epoch + 1, l.epochs)}/${l.epochs}`;
      const text =
        `${bar(l.batchesTotal ? l.batchesDone / l.batchesTotal : 0)} ${task.name} (${k + 1}/${tasks.length}) ${epochText}` +
        ` batch ${l.batch}/${l.batchesPerEpoch}${l.lastValAccuracy !== null ? ` val ${(l.lastValAccuracy * 100).toFixed(1)}%` : ''}` +
        ` · ${formatSeconds(left)} left`;
      status(text, epochText !== lastEpoch);
      lastEpoch = epochText;
    }
    const { error } = await running;
    done(
      `${task.name}: ${error ? `failed: ${error}` : `${stopping ? 'stopped after' : 'done in'} ${formatSeconds((Date.now() - t0) / 1000)}`}`,
    );
    if (error && !stopping) fail(`${task.name}: ${error}`);
  }

  status('Writing the report…', true);
  const results = (await lab.call<TaskResult[]>('results')).filter((r) =>
    tasks.some((t) => t.id === r.task.id),
  );
  const reportTasks: Report['tasks'] = [];
  for (const r of results) {
    const chosen = r.runs.find((x) => x.id === r.chosenRunId);
    const pictures: Record<string, string> = {};
    let modelFile: string | null = null;
    if (chosen) {
      const kept = chosen.epochs.find((e) => e.epoch === chosen.bestEpoch);
      if (kept)
        pictures['validation (kept epoch)'] = picture(
          out!,
          `${r.task.name} validation`,
          kept.confusion,
          r.task.classes,
          `${r.task.name}: validation, epoch ${kept.epoch + 1}`,
        );
      if (chosen.test)
        pictures['test'] = picture(
          out!,
          `${r.task.name} test`,
          chosen.test.confusion,
          r.task.classes,
          `${r.task.name}: test set`,
        );
      if (chosen.modelSaved) {
        modelFile = `models/${r.task.name.replace(/[^\p{L}\p{N}]+/gu, '-')}.zip`;
        await lab.download(join(out!, 'models'), basename(modelFile), () =>
          lab.call('download', 'model', basename(modelFile!), chosen.id),
        );
      }
    }
    reportTasks.push({ ...r, modelFile, pictures });
  }
  const comparisons: Report['comparisons'] = [];
  for (const category of await lab.call<string[]>('comparableCategories')) {
    const c = await lab.call<ComparisonResult>('compare', category).catch(() => null); // needs every model of both routes
    if (!c) continue;
    comparisons.push({
      ...c,
      pictures: {
        combined: picture(
          out!,
          `${category} combined route`,
          c.confusion.combined,
          c.leaves,
          `${category}: combined route (test)`,
        ),
        hierarchical: picture(
          out!,
          `${category} hierarchical route`,
          c.confusion.hierarchical,
          c.leaves,
          `${category}: hierarchical route (test)`,
        ),
      },
    });
  }
  let labellerFile: string | null = null;
  if ((await lab.call<number>('labellerModels')) > 0) {
    labellerFile = 'labeller.zip';
    await lab.download(out!, labellerFile, () => lab.call('download', 'labeller', labellerFile!));
  }
  writeReport(out!, {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    createdAt: new Date().toISOString(),
    command: argv,
    interrupted: stopping,
    environment: { ...machine(), chromiumArgs, backend: trainedOn, pageErrors: lab.pageErrors },
    dataset: summary,
    tasks: reportTasks,
    comparisons,
    labellerFile,
  });
  done(
    `Report: ${join(out!, 'report.md')} and report.json${stopping ? ' (interrupted: what finished is in it)' : ''}`,
  );
}

async function label(lab: Session, args: string[]) {
  const [bundle, ...images] = args;
  if (!bundle || !images.length) fail('label needs a labeller or model zip and at least one image');
  mustExist(bundle!, 'file');
  for (const i of images) mustExist(i, 'image');
  await lab.give('files', [bundle!]);
  const l = await lab.call<{ name: string; models: unknown[] }>('importLabeller');
  status(`Labelling ${images.length} image(s) with ${l.name} (${l.models.length} models)…`, true);
  await lab.give('files', images);
  const out = await lab.call<
    {
      name: string;
      problem: string | null;
      result: {
        path: string[];
        levels: { taskName: string; label: string[]; confidence: number }[];
        missing: string | null;
      } | null;
    }[]
  >('label');
  done();
  for (const x of out) {
    if (x.problem || !x.result) {
      process.stdout.write(`${x.name}: not an image the lab can read: ${x.problem}\n`);
      continue;
    }
    process.stdout.write(`${x.name}: ${x.result.path.join(' / ')}\n`);
    for (const l of x.result.levels)
      process.stdout.write(
        `  ${l.label.at(-1)!.padEnd(36)} ${(l.confidence * 100).toFixed(1).padStart(5)}%  (${l.taskName})\n`,
      );
    if (x.result.missing) process.stdout.write(`  stopped: ${x.result.missing}\n`);
  }
}

async function exportNpz(lab: Session, args: string[], out: string | undefined) {
  if (!out) fail('export-npz needs --out DIR');
  await ingest(lab, args);
  status('Writing NPZ files…', true);
  const zipPath = await lab.download(out!, '.npz-export.zip', () => lab.call('download', 'npz', 'npz.zip'));
  const files = unzipSync(readFileSync(zipPath));
  for (const [name, data] of Object.entries(files)) writeFileSync(join(out!, name), data);
  rmSync(zipPath);
  done(
    `Wrote ${Object.keys(files).filter((n) => n.endsWith('.npz')).length} NPZ files (and their JSON) to ${out}`,
  );
}

async function main(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        out: { type: 'string' },
        tasks: { type: 'string' },
        grid: { type: 'string' },
        repeats: { type: 'string' },
        epochs: { type: 'string' },
        seed: { type: 'string' },
        patience: { type: 'string' },
        backend: { type: 'string' },
        quick: { type: 'boolean' },
      },
    });
  } catch (e) {
    fail(`${(e as Error).message.split('\n')[0]} (see --help)`);
  }
  const { values, positionals } = parsed!;
  // npm runs scripts from the package root; paths are the user's, relative to where they typed the command.
  const here = process.env.INIT_CWD ?? process.cwd();
  const user = (p: string) => (/^demo(:\d+)?$/.test(p) ? p : resolve(here, p));
  const [command, ...given] = positionals;
  const rest = given.map(user);
  if (values.out) values.out = resolve(here, values.out);
  if (values.help || !command) {
    process.stdout.write(HELP + '\n');
    return;
  }
  if (!['ingest', 'train', 'label', 'export-npz'].includes(command))
    fail(`unknown command "${command}" (see --help)`);
  if (command !== 'label') sourceKind(rest); // a missing folder is reported before Chromium starts
  const lab = await Session.open();
  let firstInterrupt = 0;
  process.on('SIGINT', () => {
    // npm and tsx pass the terminal's Ctrl-C on as well: a repeat within a second is the same keypress.
    if (firstInterrupt && Date.now() - firstInterrupt > 1000) process.exit(130);
    if (firstInterrupt) return;
    firstInterrupt = Date.now();
    stopping = true;
    done('Stopping after the current batch (Ctrl-C again to quit at once)…');
    void lab.call('stop').catch(() => undefined);
  });
  try {
    if (command === 'ingest') printSummary(await ingest(lab, rest));
    else if (command === 'train') await train(lab, rest, values, argv);
    else if (command === 'label') await label(lab, rest);
    else await exportNpz(lab, rest, values.out);
  } finally {
    await lab.close();
  }
  if (stopping) process.exitCode = 130;
}

main(process.argv.slice(2)).catch((e: unknown) => {
  done();
  if (e instanceof CliError) process.stderr.write(`error: ${e.message}\n`);
  else
    process.stderr.write(
      `error: ${(e as Error)?.message ?? String(e)}\n(this is a bug in the lab; the stack follows)\n${(e as Error)?.stack ?? ''}\n`,
    );
  process.exit(e instanceof CliError ? 2 : 1);
});
