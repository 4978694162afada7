/**
 * `lab export-job`: a task's grid as a folder for cluster/run_job.py (docs/cluster.md): job.json, the task's splits
 * as the study's NPZ files (the lab's own NPZ export, from the lab's own import of the source) and a README.
 * The job is the one `train` would run with the same options: the same cells, seeds and settings.
 */
import { fileSlug } from '../../src/core/format';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { clusterJob, jobReadme, SPLITS, type JobSplit, type SplitName } from '../../src/core/clusterJob';
import { gridCells } from '../../src/core/models';
import { npzTaskName, SPLIT_FILE_NAMES } from '../../src/core/npzDataset';
import { deriveTasks, type Task } from '../../src/core/tasks';
import { newJob, parseGridSpec, quickDraft, studyDraft, withPreset } from '../../src/core/trainDraft';
import { classesOption, ingest } from './ingest';
import { done, status } from './progress';
import { fail, type Session, type TaskInfo } from './session';

const norm = (s: string) => s.toLowerCase().replace(/[—–-]/g, '-').replace(/\s+/g, ' ').trim();

export function pickTasks(all: TaskInfo[], list: string | undefined): TaskInfo[] {
  if (!list) return all;
  return list.split(',').map((name) => {
    const t = all.find((x) => norm(x.name) === norm(name));
    if (!t) fail(`no task "${name.trim()}"; this dataset has: ${all.map((x) => x.name).join(', ')}`);
    return t!;
  });
}

function wholeNumber(opts: Record<string, unknown>, name: string, min: number, max: number) {
  const v = opts[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`--${name} takes a whole number from ${min} to ${max}`);
  return n;
}

/** The job `train` would make for this task from the same options (src/lab/cliApi.ts `train`). */
function jobFor(task: Task, datasetId: string, opts: Record<string, string | boolean | undefined>) {
  const gridOpt = (opts['grid'] as string | undefined) ?? 'study';
  let draft = opts['quick'] ? quickDraft(task) : studyDraft(task);
  if (gridOpt === 'study') draft = withPreset(task, draft, 0);
  else if (gridOpt === 'none') draft = { ...draft, grid: {} };
  else {
    try {
      draft = { ...draft, grid: parseGridSpec(gridOpt) };
    } catch (e) {
      fail(`--grid: ${(e as Error).message}`);
    }
  }
  const s = draft.settings;
  draft = {
    ...draft,
    repeats: wholeNumber(opts, 'repeats', 1, 1000) ?? draft.repeats,
    settings: {
      ...s,
      epochs: wholeNumber(opts, 'epochs', 1, 1000) ?? s.epochs,
      seed: wholeNumber(opts, 'seed', 0, 2 ** 31 - 1) ?? s.seed,
      patience: wholeNumber(opts, 'patience', 1, 1000) ?? s.patience,
    },
  };
  const kind = gridOpt === 'none' && draft.repeats < 2 ? 'single' : 'grid';
  if (gridOpt === 'none') draft = { ...draft, grid: {} };
  return newJob(task, datasetId, draft, kind, 'auto');
}

export async function exportJob(
  lab: Session,
  args: string[],
  opts: Record<string, string | boolean | undefined>,
) {
  const out = opts['out'] as string | undefined;
  if (!out) fail('export-job needs --out DIR');
  const summary = await ingest(lab, args, classesOption(opts['classes'] as string | undefined));
  const infos = pickTasks(await lab.call('openTraining'), opts['tasks'] as string | undefined);
  if (!infos.length) fail('this dataset has no task to train (it needs at least two classes)');
  const derived = deriveTasks(summary.classes.map((c) => c.split(' / ')));
  status('Writing the NPZ files…', true);
  const zipPath = await lab.download(out!, '.npz-export.zip', () => lab.call('download', 'npz', 'npz.zip'));
  const npz = unzipSync(readFileSync(zipPath));
  rmSync(zipPath);
  for (const info of infos) {
    const task = derived.find((t) => t.id === info.id);
    if (!task) fail(`${info.name}: the lab's task could not be matched here (this is a bug)`);
    const job = jobFor(task!, summary.id, opts);
    const dir = infos.length > 1 ? join(out!, fileSlug(task!.name)) : out!;
    mkdirSync(dir, { recursive: true });
    const splits = {} as Record<SplitName, JobSplit>;
    for (const name of SPLITS) {
      const file = `${npzTaskName(task!)} - ${SPLIT_FILE_NAMES[SPLITS.indexOf(name)]}.npz`;
      const data = npz[file];
      const sidecar = npz[file.replace(/\.npz$/, '.json')];
      if (!data || !sidecar)
        fail(
          `${task!.name} has no ${name} images in this dataset: a job needs all three splits (a larger source?)`,
        );
      writeFileSync(join(dir, file), data!);
      const count = (JSON.parse(Buffer.from(sidecar!).toString('utf8')) as { count: number }).count;
      splits[name] = { file, count };
    }
    const value = clusterJob({
      job,
      task: task!,
      dataset: { id: summary.id, name: summary.name, images: summary.images },
      splits,
    });
    writeFileSync(join(dir, 'job.json'), JSON.stringify(value, null, 1));
    writeFileSync(join(dir, 'README.md'), jobReadme(value));
    const cells = gridCells(job.base, job.grid).length;
    done(
      `${task!.name}: ${cells} cells × ${job.repeats} seeds = ${value.runs.length} runs in ${dir} ` +
        `(run: python3 cluster/run_job.py ${JSON.stringify(dir)})`,
    );
  }
}
