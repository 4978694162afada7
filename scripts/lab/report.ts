/**
 * The headless run's report: report.json (schema in the README), report.md for people, with the confusion
 * matrices drawn as PNG by the same code the page uses for its PNG downloads.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { confusionPictureSize, drawConfusion, type DrawCtx } from '../../src/core/results';
import type { GridRow } from '../../src/core/runs';
import type { ComparisonResult, Summary, TaskResult } from './session';

export const REPORT_SCHEMA = 'fashion-cnn-lab/report';
export const REPORT_VERSION = 1;

export interface Report {
  schema: typeof REPORT_SCHEMA;
  version: typeof REPORT_VERSION;
  createdAt: string;
  command: string[];
  /** True when Ctrl-C stopped the run: what finished is reported, the rest is missing. */
  interrupted: boolean;
  environment: Record<string, unknown>;
  dataset: Summary;
  tasks: (TaskResult & { modelFile: string | null; pictures: Record<string, string> })[];
  comparisons: (ComparisonResult & { pictures: Record<string, string> })[];
  labellerFile: string | null;
}

const slug = (s: string) =>
  s
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

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
  const file = `confusion/${slug(name)}.png`;
  writeFileSync(join(dir, file), canvas.toBuffer('image/png'));
  return file;
}

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`;

function taskMarkdown(t: Report['tasks'][number]): string[] {
  const md = ['', `## ${t.task.name}`, ''];
  const chosen = t.runs.find((r) => r.id === t.chosenRunId);
  if (chosen) {
    md.push(
      `Chosen run ${chosen.cell + 1}.${chosen.repeat + 1} (seed ${chosen.settings.seed}, ${chosen.params} parameters, ${chosen.backend}):`,
      '',
      '| epoch | loss | accuracy | val loss | val accuracy | samples/s |',
      '| --- | --- | --- | --- | --- | --- |',
      ...chosen.epochs.map(
        (e) =>
          `| ${e.epoch + 1}${e.epoch === chosen.bestEpoch ? ' (kept)' : ''} | ${e.loss.toFixed(4)} | ${pct(e.accuracy)} | ${e.valLoss.toFixed(4)} | ${pct(e.valAccuracy)} | ${e.samplesPerSecond.toFixed(1)} |`,
      ),
      '',
    );
  }
  for (const job of t.jobs) {
    const g = job.gridResult as { rows: GridRow[]; noise: string | null } | null;
    if (!g) continue;
    md.push('| cell | runs | mean val accuracy | sd | 95% interval |', '| --- | --- | --- | --- | --- |');
    for (const r of g.rows) {
      const s = r.summary;
      md.push(
        `| ${r.label} | ${s.n} | ${pct(s.n ? s.mean : null)} | ${s.n > 1 ? pct(s.sd) : '–'} | ${s.n > 1 ? `${pct(s.low)} – ${pct(s.high)}` : '–'} |`,
      );
    }
    if (g.noise) md.push('', `> ${g.noise}`);
    md.push('');
  }
  for (const [what, file] of Object.entries(t.pictures)) md.push(`![${t.task.name}: ${what}](${file})`, '');
  if (t.modelFile) md.push(`Model: [${t.modelFile}](${t.modelFile})`, '');
  return md;
}

export function writeReport(dir: string, report: Report) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report, null, 1));
  const backend = report.environment['backend'] as { label?: string; reason?: string } | null;
  const d = report.dataset;
  const md: string[] = [
    `# Fashion CNN Lab report: ${d.name}`,
    '',
    `${report.createdAt} · \`${report.command.join(' ')}\`${report.interrupted ? ' · **interrupted (Ctrl-C)**' : ''}`,
    '',
    `Dataset: ${d.images} images in ${d.classes.length} classes; split ${d.splitSizes.join(' / ')} (train / validation / test); ${d.skipped.length} files skipped.`,
    '',
    `Backend: ${backend?.label ?? 'unknown'}${backend?.reason ? `: ${backend.reason}` : ''}.`,
    '',
    '| task | runs | chosen run | validation | test |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const t of report.tasks) {
    const c = t.runs.find((r) => r.id === t.chosenRunId);
    md.push(
      `| ${t.task.name} | ${t.runs.length} | ${c ? `${c.cell + 1}.${c.repeat + 1}, seed ${c.settings.seed}` : '–'} | ${pct(c?.validationAccuracy)} | ${pct(c?.test?.accuracy)} |`,
    );
  }
  for (const t of report.tasks) md.push(...taskMarkdown(t));
  for (const c of report.comparisons) {
    md.push(
      '',
      `## ${c.category}: combined against hierarchical (${c.images} test images)`,
      '',
      '| | combined | hierarchical |',
      '| --- | --- | --- |',
      `| points (2 per image) | ${c.combined.points} | ${c.hierarchical.points} |`,
      `| leaf accuracy | ${pct(c.combined.leafAccuracy)} | ${pct(c.hierarchical.leafAccuracy)} |`,
      '',
      `McNemar: ${c.mcnemar.words} The hierarchy's leaf errors: ${c.hierarchical.wrongBranch} wrong branch, ${c.hierarchical.rightBranchWrongLeaf} right branch but wrong leaf.`,
      '',
      ...Object.entries(c.pictures).map(([what, file]) => `![${c.category}: ${what}](${file})\n`),
    );
  }
  if (report.labellerFile) md.push('', `Labeller bundle: [${report.labellerFile}](${report.labellerFile})`);
  writeFileSync(join(dir, 'report.md'), md.join('\n') + '\n');
}
