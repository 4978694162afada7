/**
 * The headless run's report: report.json (schema in docs/command-line.md), and report.md and report.html for
 * people, rendered by src/core/report as the page's Report step renders its downloads, with the confusion
 * matrices drawn as PNG by the same code the page uses.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { confusionPictureSize, drawConfusion, type DrawCtx } from '../../src/core/results';
import { lastFailure } from '../../src/core/runs';
import { renderHtml } from '../../src/core/report/html';
import { renderMarkdown } from '../../src/core/report/markdown';
import {
  buildReport,
  comparisonReason,
  reportPictures,
  fileId,
  type ReportPicture,
} from '../../src/core/report/model';
import type { ComparisonResult, Summary, TaskResult, ThreeRoutesResult } from './session';

export const REPORT_SCHEMA = 'fashion-cnn-lab/report';
export const REPORT_VERSION = 1;

export interface Report {
  schema: typeof REPORT_SCHEMA;
  version: typeof REPORT_VERSION;
  createdAt: string;
  command: string[];
  /** True when Ctrl-C stopped the run: what finished is reported, the rest is missing. */
  interrupted: boolean;
  /** Tasks whose training failed, with why (added within version 1): the others were still trained. */
  failed?: { task: string; error: string }[];
  environment: Record<string, unknown>;
  dataset: Summary;
  tasks: (TaskResult & { modelFile: string | null; pictures: Record<string, string> })[];
  comparisons: (ComparisonResult & { pictures: Record<string, string> })[];
  /** The flat route against both pipelines on the test split, or `missing`: why not (added within version 1). */
  threeRoutes?: ThreeRoutesResult;
  labellerFile: string | null;
}

export function picture(
  dir: string,
  name: string,
  matrix: number[][],
  classes: string[],
  title: string,
): string {
  const { width, height } = confusionPictureSize(classes.length);
  const canvas = createCanvas(width, height);
  drawConfusion(canvas.getContext('2d') as unknown as DrawCtx, matrix, classes, title);
  mkdirSync(join(dir, 'confusion'), { recursive: true });
  const file = `confusion/${fileId(name)}.png`;
  writeFileSync(join(dir, file), canvas.toBuffer('image/png'));
  return file;
}

/** The report's pictures drawn as PNG (the page draws the same with a canvas of its own). */
function drawPng(p: ReportPicture): Buffer {
  const { width, height } = confusionPictureSize(p.classes.length);
  const canvas = createCanvas(width, height);
  drawConfusion(canvas.getContext('2d') as unknown as DrawCtx, p.matrix, p.classes, p.title);
  return canvas.toBuffer('image/png');
}

/** The report as the page's Report step shows it, from report.json's content. */
export function reportModel(report: Report) {
  const backend = report.environment['backend'] as { label?: string; reason?: string } | null;
  const d = report.dataset;
  const categoryOf = (t: Report['tasks'][number]) => t.task.classes[0]?.split(' / ')[0] ?? '';
  const compared = new Map(report.comparisons.map((c) => [c.category, c]));
  const categories = report.tasks.filter((t) => t.task.kind === 'level2').map(categoryOf);
  return buildReport({
    dataset: {
      name: d.name,
      images: d.images,
      classes: d.classes.length,
      splitSizes: d.splitSizes,
      skipped: d.skipped.length,
      demo: d.source === 'demo',
    },
    createdAt: report.createdAt,
    notes: [
      `Command: ${report.command.join(' ')}`,
      `Backend: ${backend?.label ?? 'unknown'}${backend?.reason ? `: ${backend.reason}` : ''}.`,
      ...(report.interrupted ? ['Interrupted (Ctrl-C): what finished is reported.'] : []),
    ],
    tasks: report.tasks.map((t) => ({
      task: t.task,
      runs: t.runs,
      chosenRunId: t.chosenRunId,
      grids: t.jobs.flatMap((j) => (j.gridResult ? [j.gridResult] : [])),
      modelFile: t.modelFile,
      failure: lastFailure(t.jobs),
    })),
    comparisons: [...new Set([...categories, ...compared.keys()])].map((category) => {
      const result = compared.get(category) ?? null;
      const routeTasks = report.tasks
        .filter((t) => t.task.kind !== 'primary' && t.task.kind !== 'flat' && categoryOf(t) === category)
        .map((t) => ({ name: t.task.name, trained: t.chosenRunId !== null }));
      return { category, result, reason: result ? undefined : comparisonReason(routeTasks) };
    }),
    threeRoutes: report.threeRoutes?.missing === null ? report.threeRoutes : null,
    threeRoutesNote: report.threeRoutes?.missing ?? null,
    labellerFile: report.labellerFile,
  });
}

/** report.json, and report.md and report.html from the same report model as the page's downloads. */
export function writeReport(dir: string, report: Report) {
  mkdirSync(join(dir, 'confusion'), { recursive: true });
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report, null, 1));
  const model = reportModel(report);
  const files: Record<string, string> = {};
  const uris: Record<string, string> = {};
  for (const p of reportPictures(model)) {
    const png = drawPng(p);
    files[p.id] = `confusion/${p.id}.png`;
    writeFileSync(join(dir, files[p.id]!), png);
    uris[p.id] = `data:image/png;base64,${png.toString('base64')}`;
  }
  writeFileSync(join(dir, 'report.md'), renderMarkdown(model, files));
  writeFileSync(join(dir, 'report.html'), renderHtml(model, uris));
}
