/**
 * `lab import-results`: a cluster's results.zip (cluster/run_job.py) read with the lab's own reader and reported as
 * `train` reports the lab's own runs: OUT/report.json and report.md with the grid statistics (mean, sd and 95%
 * interval per cell), the chosen run, its confusion matrices and its model zip, each run marked as trained
 * elsewhere (host, PyTorch version, device). The source is imported first: the results must be of its task, with
 * the very images of each split, as the page checks them.
 */
import { createReadStream, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chosenRun, countsAsChosen } from '../../src/core/chosenRun';
import { ClusterResultsError, matchJob, readClusterResults } from '../../src/core/clusterResults';
import { modelZip, type StoredModel } from '../../src/core/modelFiles';
import { modelMetadata } from '../../src/core/results';
import { gridResult, jobRunCount, runScore, type RunRecord } from '../../src/core/runs';
import { deriveTasks } from '../../src/core/tasks';
import { fileId } from '../../src/core/report/model';
import { machine } from '../bench/harness';
import { formatDuration } from '../../src/core/format';
import { classesOption, ingest } from './ingest';
import { done, status } from './progress';
import { picture, REPORT_SCHEMA, REPORT_VERSION, writeReport, type Report } from './report';
import { fail, mustExist, type Session } from './session';

export async function importResults(
  lab: Session,
  args: string[],
  opts: { out?: string; classes?: string },
  argv: string[],
) {
  const out = opts.out;
  const zipPath = args.at(-1);
  if (!out || !zipPath || !/\.zip$/i.test(zipPath) || args.length < 2)
    fail('import-results needs <source> <results.zip> --out DIR');
  mustExist(zipPath!, 'file');
  const summary = await ingest(lab, args.slice(0, -1), classesOption(opts.classes));
  const datasetClasses = summary.classes.map((c) => c.split(' / '));
  const tasks = deriveTasks(datasetClasses);
  // The page's own check: the task, its classes, the dataset's size and the very images of each split.
  const target = {
    dataset: { id: summary.id, name: summary.name, images: summary.images },
    tasks,
    ...(await lab.call('datasetSplit')),
  };
  // Read as it streams from disk, one run at a time (a real grid's results are tens of GB): only the chosen run's
  // weights are kept, the one chosenRun would pick, as the runs come in their order.
  let results;
  let best: { run: RunRecord; model: StoredModel } | null = null;
  try {
    results = await readClusterResults(
      createReadStream(zipPath!, { highWaterMark: 8 * 2 ** 20 }),
      { target },
      (run, model) => {
        if (model && countsAsChosen(run) && (!best || runScore(run)! > runScore(best.run)!))
          best = { run, model };
      },
    );
  } catch (e) {
    if (e instanceof ClusterResultsError) fail(e.message);
    throw e;
  }
  const { job, jobRecord, runs, missing } = results;
  const task = matchJob(job, target).task;
  status(`Writing the report of ${runs.length} runs trained elsewhere…`, true);
  const chosen = chosenRun(runs);
  const chosenModel = (best as { run: RunRecord; model: StoredModel } | null)?.model;
  const names = task.outputs.map((o) => o.join(' / '));
  const pictures: Record<string, string> = {};
  let modelFile: string | null = null;
  if (chosen) {
    const kept = chosen.epochs.find((e) => e.epoch === chosen.bestEpoch)!;
    pictures['validation (kept epoch)'] = picture(
      out!,
      `${task.name} validation`,
      kept.confusion,
      names,
      `${task.name}: validation, epoch ${kept.epoch + 1}`,
    );
    pictures['test'] = picture(
      out!,
      `${task.name} test`,
      chosen.test!.confusion,
      names,
      `${task.name}: test set`,
    );
    modelFile = `models/${fileId(task.name)}.zip`;
    mkdirSync(join(out!, 'models'), { recursive: true });
    const stored = chosenModel!;
    writeFileSync(
      join(out!, modelFile),
      modelZip(stored, modelMetadata(chosen, task, datasetClasses, 'letterbox', stored.generatedBy)),
    );
  }
  const reportTask: Report['tasks'][number] = {
    task: { id: task.id, name: task.name, kind: task.kind, classes: names },
    jobs: [
      {
        ...jobRecord,
        runs: jobRunCount(jobRecord),
        gridResult: jobRunCount(jobRecord) > 1 ? gridResult(jobRecord, runs) : null,
      },
    ],
    runs: runs.map(({ validation: _v, ...r }) => ({
      ...r,
      validationAccuracy: runScore(r),
      test: r.test && { loss: r.test.loss, accuracy: r.test.accuracy, confusion: r.test.confusion },
    })),
    chosenRunId: chosen?.id ?? null,
    modelFile,
    pictures,
  };
  const hosts = [...new Set(runs.map((r) => r.backend))];
  writeReport(out!, {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    createdAt: new Date().toISOString(),
    command: argv,
    interrupted: missing.length > 0,
    environment: {
      ...machine(),
      backend: { label: `trained elsewhere: ${hosts.join('; ')}`, reason: `imported from ${zipPath}` },
      importedFrom: zipPath,
      missingRuns: missing,
    },
    dataset: summary,
    tasks: [reportTask],
    comparisons: [],
    labellerFile: null,
  });
  const wall = runs.reduce((a, r) => a + r.epochs.reduce((b, e) => b + e.seconds, 0), 0);
  done(
    `Imported ${runs.length} of ${job.runs.length} runs of ${task.name} (${formatDuration(wall)} of training elsewhere)` +
      `${missing.length ? `; ${missing.length} not finished there` : ''}. Report: ${join(out!, 'report.html')}, report.md and report.json`,
  );
}
