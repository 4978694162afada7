import { describe, expect, it } from 'vitest';
import { reportInput } from '../testing/reportFixture';
import { buildReport, comparisonReason, reportPictures, routePictureId, taskPictureId } from './model';

describe('the report model', () => {
  const m = buildReport(reportInput());

  it('names every task with its chosen run, settings, kept epoch, and validation and test accuracy', () => {
    expect(m.overview.rows.map((r) => r[0])).toEqual([
      'Primary',
      'Glasses & Sunglasses',
      'Shoes — Male types',
    ]);
    const primary = Object.fromEntries(m.tasks[0]!.facts);
    expect(primary['Chosen run']).toMatch(/^run 1\.1, seed 1/);
    expect(m.overview.rows[0]!.slice(0, 5)).toEqual(['Primary', '1', '1.1, seed 1', '90.0%', '95.0%']);
    expect(primary['Model']).toContain('Model 2: 32 filters 3×3');
    expect(primary['Settings']).toContain('batch 64');
    expect(primary['Epochs kept']).toBe('epoch 2 of the 3 it ran');
    expect(primary['Validation accuracy']).toBe('90.0%');
    expect(primary['Test accuracy']).toBe('95.0%');
  });

  it('says what is missing in plain words instead of leaving gaps', () => {
    expect(m.missing).toEqual([
      'Shoes — Male types has not been trained.',
      'Trousers & Jeans: the combined and hierarchical routes have not been compared: train Trousers & Jeans — Male types first.',
    ]);
    expect(m.overview.rows[2]![2]).toBe('not trained');
    expect(m.tasks[2]!.pictures).toEqual([]);
  });

  it('tells a task whose runs never finished from one never trained', () => {
    const input = reportInput();
    const t = input.tasks[2]!;
    const failed = buildReport({
      ...input,
      tasks: [{ ...t, runs: [{ ...input.tasks[0]!.runs[0]!, id: 'x', status: 'failed' }] }],
    });
    expect(failed.missing[0]).toBe('Shoes — Male types has no finished run (1 started, none finished).');
  });

  it('gives repeats their mean ± sd and 95% interval', () => {
    const g = m.tasks[1]!.grids[0]!;
    expect(g.title).toBe('Repeated runs: 2 of Model 2: 32 filters');
    expect(g.table.rows[0]).toEqual(['Model 2: 32 filters', '2', '75.0%', '7.0%', '12.0% – 100.0%']);
    expect(g.noise).toMatch(/overlap/);
  });

  it('says beside the figures which tasks are first looks, and what such a run can show', () => {
    expect(m.firstLooks).toBe(
      'First looks, not results: Primary, Glasses & Sunglasses (3 epochs or fewer, or under 10 test images a ' +
        'class). Their figures show that a task trains, not how well; each task below says what its run can show.',
    );
    expect(Object.fromEntries(m.tasks[0]!.facts)['What this can show']).toMatch(
      /^A first look, not a result: .* The test set has 10 images \(5 a class\)/,
    );
    const input = reportInput();
    const long = buildReport({
      ...input,
      tasks: input.tasks.map((t) => ({
        ...t,
        runs: t.runs.map((r) => ({
          ...r,
          settings: { ...r.settings, epochs: 15 },
          test: r.test && { ...r.test, confusion: r.test.confusion.map((row) => row.map((v) => v * 10)) },
        })),
      })),
    });
    expect(long.firstLooks).toBeNull();
    expect(Object.fromEntries(long.tasks[0]!.facts)['What this can show']).toBeUndefined();
  });

  it('puts the study’s figures beside the lab’s on the demo catalog only', () => {
    expect(m.overview.head.at(-1)).toBe('the study’s test');
    expect(m.overview.rows[0]!.at(-1)).toBe('99.88%');
    expect(m.studySource).toMatch(/study/);
    expect(m.comparisons[0]!.table!.rows.at(-1)![0]).not.toBe('the study’s points');
    const folder = buildReport(reportInput({ dataset: { ...reportInput().dataset, demo: false } }));
    expect(folder.overview.head).not.toContain('the study’s test');
    expect(folder.studySource).toBeNull();
    expect(Object.fromEntries(folder.tasks[0]!.facts)['The study’s test accuracy']).toBeUndefined();
  });

  it('scores each compared category’s routes and names a picture per matrix, each once', () => {
    const c = m.comparisons[0]!;
    expect(c.table!.rows[0]).toEqual(['points (2 per image)', '3', '4']);
    expect(c.lines[0]).toMatch(/McNemar/);
    const ids = reportPictures(m).map((p) => p.id);
    expect(ids).toEqual([
      taskPictureId('Primary', 'validation'),
      taskPictureId('Primary', 'test'),
      taskPictureId('Glasses & Sunglasses', 'validation'),
      taskPictureId('Glasses & Sunglasses', 'test'),
      routePictureId('Shoes', 'combined'),
      routePictureId('Shoes', 'hierarchical'),
    ]);
  });

  it('renders the three-way comparison when there is one, and leaves it out when not', () => {
    expect(m.threeRoutes!.table.head).toEqual(['2 test images', 'Flat', 'Hierarchical', 'Combined']);
    expect(m.threeRoutes!.lines[0]).toBe('Flat labels the most leaves right.');
    const none = buildReport(
      reportInput({ threeRoutes: null, threeRoutesNote: 'Flat (all 17 leaves) has not been trained.' }),
    );
    expect(none.threeRoutes).toBeNull();
    expect(none.missing.at(-1)).toBe(
      'The three-way comparison with a flat model: Flat (all 17 leaves) has not been trained.',
    );
  });

  it('says which models a comparison still needs', () => {
    const tasks = [
      { name: 'Shoes — all 11', trained: true },
      { name: 'Shoes — Female / Male', trained: false },
      { name: 'Shoes — Male types', trained: false },
    ];
    expect(comparisonReason(tasks)).toBe('train Shoes — Female / Male, Shoes — Male types first.');
    expect(comparisonReason(tasks.map((t) => ({ ...t, trained: true })))).toMatch(/not been run yet/);
  });
});
