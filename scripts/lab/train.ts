/**
 * `lab train`: the chosen tasks trained as the page does, then the report, models and labeller written out. A task
 * that fails is reported with why and the others still train; how many failed is returned (exit code 1).
 */
import { basename, join } from 'node:path';
import type { BackendName } from '../../src/core/backendChoice';
import { parseGridSpec } from '../../src/core/trainDraft';
import { machine } from '../bench/harness';
import { chromiumArgs } from '../chromium';
import { ingest } from './ingest';
import { formatDuration } from '../../src/core/format';
import { fileId } from '../../src/core/report/model';
import { bar, done, status } from './progress';
import { picture, REPORT_SCHEMA, REPORT_VERSION, writeReport, type Report } from './report';
import { fail, type Progress, type Session, type TaskInfo } from './session';

function pickTasks(all: TaskInfo[], list: string | undefined): TaskInfo[] {
  if (!list) return all;
  const norm = (s: string) => s.toLowerCase().replace(/[—–-]/g, '-').replace(/\s+/g, ' ').trim();
  return list.split(',').map((name) => {
    const t = all.find((x) => norm(x.name) === norm(name));
    if (!t) fail(`no task "${name.trim()}"; this dataset has: ${all.map((x) => x.name).join(', ')}`);
    return t!;
  });
}

export async function train(
  lab: Session,
  args: string[],
  opts: Record<string, string | boolean | undefined>,
  argv: string[],
  /** True once Ctrl-C asked to stop: the task loop ends and the report says so. */
  stopping: () => boolean,
): Promise<number> {
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
  const backend = ((opts['backend'] as string | undefined) ?? 'auto') as BackendName | 'auto';
  if (!['auto', 'webgpu', 'webgl', 'wasm', 'cpu'].includes(backend))
    fail('--backend is auto, webgpu, webgl, wasm or cpu');

  const summary = await ingest(lab, args);
  const all = await lab.call('openTraining');
  if (!all.length) fail('this dataset has no task to train (it needs at least two classes)');
  const tasks = pickTasks(all, opts['tasks'] as string | undefined);
  await lab.call('setBackend', backend);

  let trainedOn: Progress['trainedOn'] = null;
  /** Tasks whose job failed: the rest still train, and the report names these with why. */
  const failed: { task: string; error: string }[] = [];
  for (const [k, task] of tasks.entries()) {
    if (stopping()) break;
    const t0 = Date.now();
    const running = lab.call('train', {
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
      const p = await lab.call('progress').catch(() => null);
      const l = p?.live;
      trainedOn = p?.trainedOn ?? trainedOn;
      if (!l || finished) continue;
      const left = l.batchesDone > 0 ? (l.seconds / l.batchesDone) * (l.batchesTotal - l.batchesDone) : NaN;
      const epochText = `run ${l.index + 1}/${l.runs} epoch ${Math.min(l.epoch + 1, l.epochs)}/${l.epochs}`;
      const text =
        `${bar(l.batchesTotal ? l.batchesDone / l.batchesTotal : 0)} ${task.name} (${k + 1}/${tasks.length}) ${epochText}` +
        ` batch ${l.batch}/${l.batchesPerEpoch}${l.lastValAccuracy !== null ? ` val ${(l.lastValAccuracy * 100).toFixed(1)}%` : ''}` +
        ` · ${formatDuration(left)} left`;
      status(text, epochText !== lastEpoch);
      lastEpoch = epochText;
    }
    const { error } = await running;
    done(
      `${task.name}: ${error ? `failed: ${error}` : `${stopping() ? 'stopped after' : 'done in'} ${formatDuration((Date.now() - t0) / 1000)}`}`,
    );
    if (error && !stopping()) failed.push({ task: task.name, error });
  }

  status('Writing the report…', true);
  const results = (await lab.call('results')).filter((r) => tasks.some((t) => t.id === r.task.id));
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
        modelFile = `models/${fileId(r.task.name)}.zip`;
        await lab.download(join(out!, 'models'), basename(modelFile), () =>
          lab.call('download', 'model', basename(modelFile!), chosen.id),
        );
      }
    }
    reportTasks.push({ ...r, modelFile, pictures });
  }
  const comparisons: Report['comparisons'] = [];
  for (const category of await lab.call('comparableCategories')) {
    const c = await lab.call('compare', category).catch(() => null); // needs every model of both routes
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
  // The flat route against both pipelines, or why not ("Flat (all 17 leaves) has not been trained.").
  const threeRoutes = await lab.call('compareThree');
  let labellerFile: string | null = null;
  if ((await lab.call('labellerModels')) > 0) {
    labellerFile = 'labeller.zip';
    await lab.download(out!, labellerFile, () => lab.call('download', 'labeller', labellerFile!));
  }
  // What the browser's IndexedDB holds at the end (datasets, runs, models): bench:study reads it.
  const storage = await lab.page
    .evaluate(async () => {
      const e = await navigator.storage.estimate();
      return { usage: e.usage ?? 0, quota: e.quota ?? 0 };
    })
    .catch(() => null);
  writeReport(out!, {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    createdAt: new Date().toISOString(),
    command: argv,
    interrupted: stopping(),
    failed,
    environment: { ...machine(), chromiumArgs, backend: trainedOn, pageErrors: lab.pageErrors, storage },
    dataset: summary,
    tasks: reportTasks,
    comparisons,
    threeRoutes,
    labellerFile,
  });
  done(
    threeRoutes.missing === null
      ? `Three routes: ${threeRoutes.ranked}`
      : `Three routes not compared: ${threeRoutes.missing}`,
  );
  done(
    `Report: ${join(out!, 'report.html')}, report.md and report.json${stopping() ? ' (interrupted: what finished is in it)' : ''}`,
  );
  if (failed.length)
    process.stderr.write(
      `error: ${failed.length} of ${tasks.length} tasks failed (${failed.map((f) => `${f.task}: ${f.error}`).join('; ')}); ` +
        'the report, models and labeller of the others are written\n',
    );
  return failed.length;
}
