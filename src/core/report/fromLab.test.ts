import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { compareRoutes } from '../compare';
import type { JobRecord, RunRecord } from '../runs';
import { deriveTasks } from '../tasks';
import { reportRun } from '../testing/reportFixture';
import { comparableNow, reportInputFromLab, type LabReportState } from './fromLab';
import { markdownZip, renderMarkdown } from './markdown';
import { buildReport, reportPictures, routePictureId } from './model';

const classes = [
  ['Glasses & Sunglasses', 'Glasses'],
  ['Glasses & Sunglasses', 'Sunglasses'],
  ['Shoes', 'Male', 'Boots'],
  ['Shoes', 'Male', 'Others'],
  ['Shoes', 'Female', 'Boots'],
  ['Shoes', 'Female', 'Others'],
];
const tasks = deriveTasks(classes);

const stored = (taskId: string, id: string, modelSaved = true): RunRecord => ({
  ...reportRun(id, [0.5, 0.8], 0.75),
  jobId: `job-${taskId}`,
  datasetId: 'd',
  taskId,
  taskName: taskId,
  classes: [],
  modelSaved,
  startedAt: '2026-12-02T05:00:00.000Z',
  test: { loss: 0.5, accuracy: 0.75, confusion: [[1]], items: [], predictions: [], confidence: [] },
});

const state = (runs: RunRecord[], comparisons: LabReportState['comparisons'] = {}): LabReportState => ({
  dataset: { name: 'Demo', source: 'demo', images: 120, classes, splitSizes: [96, 12, 12], skipped: [] },
  tasks,
  runs,
  jobs: [],
  comparisons,
  backend: 'WebAssembly',
  createdAt: '2026-12-02T05:00:00.000Z',
});

describe('the report from the page’s records', () => {
  const trained = tasks.filter((t) => t.id !== 'within:Shoes:Male').map((t) => stored(t.id, `r-${t.id}`));

  it('chooses each task’s run as the Train step does: a run without a saved model is not chosen', () => {
    const runs = [...trained, stored('within:Shoes:Male', 'unsaved', false)];
    const m = buildReport(reportInputFromLab(state(runs)));
    expect(m.missing).toContain(
      'Shoes — Male types has no run with a saved model and a test result (1 finished).',
    );
    expect(m.missing).toContain(
      'Shoes: the combined and hierarchical routes have not been compared: train Shoes — Male types first.',
    );
    expect(comparableNow(tasks, runs)).toEqual([]);
    expect(comparableNow(tasks, [...runs, stored('within:Shoes:Male', 'ok')])).toEqual(['Shoes']);
  });

  it('names a task whose newest job failed, with why', () => {
    const job = (id: string, status: JobRecord['status'], createdAt: string, error?: string) =>
      ({
        id,
        taskId: 'within:Shoes:Male',
        status,
        createdAt,
        base: {},
        grid: {},
        repeats: 1,
        ...(error && { error }),
      }) as unknown as JobRecord;
    const failed = job('j2', 'failed', '2026-12-02T06:00:00Z', 'The loss became NaN');
    const m = buildReport(
      reportInputFromLab({ ...state(trained), jobs: [job('j1', 'done', '2026-12-02T05:00:00Z'), failed] }),
    );
    expect(m.missing).toContain('Shoes — Male types failed: The loss became NaN');
    const later = job('j3', 'done', '2026-12-02T07:00:00Z');
    const again = buildReport(reportInputFromLab({ ...state(trained), jobs: [failed, later] }));
    expect(again.missing.join(' ')).not.toContain('failed');
  });

  it('shows a comparison the Lab ran, with its two matrices', () => {
    const images = [
      {
        truth: ['Shoes', 'Male', 'Boots'],
        combined: ['Shoes', 'Male', 'Boots'],
        level2: 'Male',
        branch: ['Shoes', 'Male', 'Boots'],
      },
    ];
    const matrix = [
      [1, 0],
      [0, 0],
    ];
    const c = {
      ...compareRoutes(images),
      category: 'Shoes',
      combinedTask: 'Shoes — all 4',
      hierarchicalTasks: ['Shoes — Male / Female'],
      leaves: ['Male / Boots', 'Male / Others'],
      byRoute: { combined: { confusion: matrix }, hierarchical: { confusion: matrix } },
    };
    const m = buildReport(reportInputFromLab(state(trained, { Shoes: c })));
    expect(m.comparisons.map((x) => [x.category, x.missing])).toEqual([['Shoes', null]]);
    expect(m.comparisons[0]!.pictures.map((p) => p.id)).toEqual([
      routePictureId('Shoes', 'combined'),
      routePictureId('Shoes', 'hierarchical'),
    ]);
  });

  it('downloads as one zip of report.md and every PNG it names', () => {
    const m = buildReport(reportInputFromLab(state(trained)));
    const files = Object.fromEntries(reportPictures(m).map((p) => [p.id, `confusion/${p.id}.png`]));
    const md = renderMarkdown(m, files);
    const png = new Uint8Array([137, 80, 78, 71]);
    const zip = unzipSync(markdownZip(md, Object.fromEntries(Object.values(files).map((f) => [f, png]))));
    expect(strFromU8(zip['report.md']!)).toBe(md);
    for (const f of Object.values(files)) expect(zip[f]).toEqual(png);
    expect(Object.keys(zip)).toHaveLength(1 + Object.keys(files).length);
  });
});
