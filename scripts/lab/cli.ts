/**
 * The lab from the command line: the lab's own code in headless Chromium, so results are what the page gives.
 *
 *   npm run lab -- ingest <folder | demo[:N] | file.npz…>
 *   npm run lab -- train <source> --out DIR [--tasks "Primary,Shoes — all 11"] [--grid none|study|SPEC]
 *                  [--repeats K] [--epochs N] [--seed S] [--quick] [--backend auto|webgpu|webgl|wasm|cpu]
 *   npm run lab -- label <labeller.zip | model.zip> <image…>
 *   npm run lab -- export-npz <source> --out DIR
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { unzipSync } from 'fflate';
import { classesOption, ingest, printSummary, sourceKind } from './ingest';
import { done, status } from './progress';
import { CliError, fail, mustExist, Session } from './session';
import { train } from './train';
import { exportJob } from './exportJob';
import { importResults } from './importResults';

const HELP = `Fashion CNN Lab on the command line (headless Chromium, the lab's own code).

Usage: npm run lab -- <command> [options]        (or: npx fashion-cnn-lab <command> …)

Commands
  ingest <source>                 import and print the label tree, counts, split sizes and skipped files
  train <source> --out DIR        train tasks as the page does; write DIR/report.json, report.md, models
  label <bundle.zip> <image…>     print every label of each image with its confidence, and the route
  export-npz <source> --out DIR   write every task and split as the study's NPZ files (+ sidecar JSON)
  export-job <source> --out DIR   a task's grid as a job for cluster/run_job.py (train's options; --grid study)
  import-results <source> <results.zip> --out DIR   report a cluster's runs as train does (docs/cluster.md)

<source> is a folder of labelled photos (folder names are labels), demo[:N] (the demo catalog with N images
per class, default 100), or .npz files or a folder of them (a sidecar JSON beside them names the classes).

ingest and export-npz options
  --classes C       the NPZ files' class names: study (the study's order for the files' name, as the page
                    offers it) or a JSON file ({"classes": ["A/B", …]}); default: the sidecar beside them

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

let stopping = false;

async function label(lab: Session, args: string[]) {
  const [bundle, ...images] = args;
  if (!bundle || !images.length) fail('label needs a labeller or model zip and at least one image');
  mustExist(bundle!, 'file');
  for (const i of images) mustExist(i, 'image');
  await lab.give('files', [bundle!]);
  const l = await lab.call('importLabeller');
  status(`Labelling ${images.length} image(s) with ${l.name} (${l.models.length} models)…`, true);
  await lab.give('files', images);
  const out = await lab.call('label');
  done();
  for (const x of out) {
    if (x.problem || !x.result) {
      process.stdout.write(`${x.name}: not an image the lab can read: ${x.problem}\n`);
      continue;
    }
    process.stdout.write(`${x.name}: ${x.result.path.join(' / ')}${x.route ? ` (${x.route} route)` : ''}\n`);
    for (const l of x.result.levels)
      process.stdout.write(
        `  ${l.label.at(-1)!.padEnd(36)} ${(l.confidence * 100).toFixed(1).padStart(5)}%  (${l.taskName})\n`,
      );
    if (x.result.missing) process.stdout.write(`  stopped: ${x.result.missing}\n`);
  }
}

async function exportNpz(lab: Session, args: string[], out: string | undefined, classes?: string) {
  if (!out) fail('export-npz needs --out DIR');
  await ingest(lab, args, classesOption(classes));
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
        classes: { type: 'string' },
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
  if (values.classes && values.classes !== 'study') values.classes = resolve(here, values.classes);
  if (values.help || !command) {
    process.stdout.write(HELP + '\n');
    return;
  }
  if (!['ingest', 'train', 'label', 'export-npz', 'export-job', 'import-results'].includes(command))
    fail(`unknown command "${command}" (see --help)`);
  if (command !== 'label') sourceKind(command === 'import-results' ? rest.slice(0, -1) : rest); // a missing folder is reported before Chromium starts
  const lab = await Session.open();
  let firstInterrupt = 0;
  let failedTasks = 0;
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
    if (command === 'ingest') printSummary(await ingest(lab, rest, classesOption(values.classes)));
    else if (command === 'train') failedTasks = await train(lab, rest, values, argv, () => stopping);
    else if (command === 'label') await label(lab, rest);
    else if (command === 'export-job') await exportJob(lab, rest, values);
    else if (command === 'import-results') await importResults(lab, rest, values, argv);
    else await exportNpz(lab, rest, values.out, values.classes);
  } finally {
    await lab.close();
  }
  if (stopping) process.exitCode = 130;
  else if (failedTasks) process.exitCode = 1;
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
