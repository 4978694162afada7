import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { renderJpeg } from '../scripts/demo/render';
import { DEMO_CLASSES } from '../src/demo/taxonomy';
import { writeFileSync } from 'node:fs';
import { makeOneTaskFailsFolder } from './support/folders';
import { lab } from './support/labCli';

const dir = (name: string) => {
  const d = join(process.cwd(), '.e2e-data', name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
};

test.describe.configure({ timeout: 300_000 });

test('the command line explains itself and fails in one clear line', () => {
  const help = lab('--help');
  expect(help.code).toBe(0);
  expect(help.out).toContain('Usage: npm run lab -- <command> [options]');
  const cases: [string[], RegExp][] = [
    [['ingest', 'no/such/folder'], /^error: folder not found: .*no\/such\/folder\n$/],
    [['frobnicate'], /^error: unknown command "frobnicate" \(see --help\)\n$/],
    [['train', 'demo:20'], /^error: train needs --out DIR\n$/],
    [
      ['train', 'demo:20', '--out', 'x', '--grid', 'filtrs=3'],
      /^error: --grid: unknown grid setting "filtrs"/,
    ],
    [['train', 'demo:20', '--out', 'x', '--epochs', 'many'], /^error: --epochs takes a whole number/],
    [['ingest', 'demo:1'], /^error: demo:N takes 2 to 941 images per class\n$/],
    [
      ['train', 'demo:2', '--tasks', 'Hats', '--out', dir('cli-hats')],
      /error: no task "Hats"; this dataset has: Primary, /,
    ],
    [['ingest', dir('cli-empty')], /error: .*no images/i],
  ];
  for (const [args, message] of cases) {
    const r = lab(...args);
    expect(r.code, args.join(' ')).toBe(2);
    expect(
      r.err.split('\n').filter((l) => l.startsWith('error:')),
      args.join(' '),
    ).toHaveLength(1);
    expect(r.err, args.join(' ')).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack traces for a user's mistake
  }
});

test('ingest, train every task at the study’s settings for one epoch, write the report with the three routes, label with the bundle', () => {
  const ingest = lab('ingest', 'demo:20');
  expect(ingest.code).toBe(0);
  expect(ingest.out).toMatch(/Demo catalog .*: 340 images, 17 classes/);
  expect(ingest.out).toMatch(/\n {4}High heels +20 +16 +2 +2\n/);
  expect(ingest.out).toContain('split: 272 train, 34 validation, 34 test');

  const out = dir('cli-train');
  // The study's own models (Model 3 for the 11-shoe, all-4 and flat tasks: 19.3 M weights), not Quick look's.
  const t = lab('train', 'demo:20', '--epochs', '1', '--out', out);
  expect(t.code, t.err).toBe(0);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  expect(report).toMatchObject({ schema: 'fashion-cnn-lab/report', version: 1, interrupted: false });
  expect(report.environment.backend.backend).toBe('wasm');
  expect(report.environment.chromiumArgs).toContain('--no-sandbox');
  expect(report.dataset).toMatchObject({ images: 340, splitSizes: [272, 34, 34] });
  const names = report.tasks.map((x: { task: { name: string } }) => x.task.name);
  expect(names).toHaveLength(11);
  expect(names.slice(0, 2)).toEqual(['Primary', 'Glasses & Sunglasses']);
  expect(report.tasks.at(-1).task).toMatchObject({ id: 'flat', kind: 'flat', name: 'Flat (all 17 leaves)' });
  expect(report.tasks.at(-1).task.classes).toEqual(report.dataset.classes);
  // Every test image once per task: all 34 for Primary and the flat model, 2 per glasses leaf.
  const testImages: Record<string, number> = {
    Primary: 34,
    'Glasses & Sunglasses': 4,
    'Flat (all 17 leaves)': 34,
  };
  for (const task of report.tasks) {
    expect(task.runs).toHaveLength(1);
    const run = task.runs[0];
    expect(run).toMatchObject({
      status: 'done',
      bestEpoch: 0,
      settings: { seed: 1, epochs: 1, batchSize: 64 },
    });
    expect(run.epochs).toHaveLength(1);
    expect(run.validationAccuracy).toBeGreaterThanOrEqual(0);
    expect(run.test.confusion).toHaveLength(task.task.classes.length);
    const tested = run.test.confusion.flat().reduce((a: number, b: number) => a + b);
    if (task.task.name in testImages) expect(tested).toBe(testImages[task.task.name]);
    else expect(tested).toBeGreaterThan(0);
    expect(task.chosenRunId).toBe(run.id);
    expect(existsSync(join(out, task.modelFile))).toBe(true);
    for (const png of Object.values(task.pictures) as string[])
      expect(readFileSync(join(out, png)).subarray(1, 4).toString()).toBe('PNG');
  }
  // The three routes on the whole test split: the study's points over the tree (3 per image with a level 2,
  // 2 per glasses image), leaf accuracy, errors by source, McNemar for each pair, and which ranks first.
  const three = report.threeRoutes;
  expect(three).toMatchObject({ missing: null, images: 34, flatTask: 'Flat (all 17 leaves)' });
  for (const route of ['flat', 'hierarchical', 'combined']) {
    const r = three.routes[route];
    expect(r.maxPoints).toBe(98);
    expect(r.points).toBe(r.categoryPoints + r.level2Points + r.typePoints);
    expect(r.leafCorrect).toHaveLength(34);
    expect(r.leafAccuracy).toBeCloseTo(r.leafCorrect.filter(Boolean).length / 34, 12);
    expect(r.wrongCategory + r.rightCategoryWrongLeaf).toBe(34 - r.leafCorrect.filter(Boolean).length);
  }
  expect(three.pairs.map((p: { a: string; b: string }) => `${p.a}/${p.b}`)).toEqual([
    'flat/hierarchical',
    'flat/combined',
    'hierarchical/combined',
  ]);
  for (const p of three.pairs) expect(p.mcnemar.p).toBeGreaterThan(0);
  expect([...three.ranking].sort()).toEqual(['combined', 'flat', 'hierarchical']);
  expect(three.ranked).toMatch(/ranks first|tie/);
  const perCategory = three.byCategory.map((c: { category: string; images: number }) => [
    c.category,
    c.images,
  ]);
  expect(Object.fromEntries(perCategory)).toEqual({
    'Glasses & Sunglasses': 4,
    Shoes: 22,
    'Trousers & Jeans': 8,
  });
  expect(t.err).toMatch(/Three routes: (The \w+ route ranks first|No route ranks first)/);
  const md = readFileSync(join(out, 'report.md'), 'utf8');
  expect(md).toContain('| Primary | 1 | 1.1, seed 1 |');
  expect(md).toMatch(/flat/i);
  for (const png of readdirSync(join(out, 'confusion')))
    expect(
      readFileSync(join(out, 'confusion', png))
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');

  const images = dir('cli-images');
  const heels = DEMO_CLASSES.findIndex((c) => c.path.join('/') === 'Glasses & Sunglasses/Sunglasses');
  writeFileSync(join(images, 'sunglasses.jpg'), renderJpeg(heels, 0, 4242));
  writeFileSync(join(images, 'notes.txt'), 'not an image');
  const l = lab(
    'label',
    join(out, 'labeller.zip'),
    join(images, 'sunglasses.jpg'),
    join(images, 'notes.txt'),
  );
  expect(l.code, l.err).toBe(0);
  // One epoch of a tiny model may still get the category wrong: then the missing model is named, never guessed.
  const [first, ...levels] = l.out.split('\n');
  expect(first).toMatch(/^sunglasses\.jpg: (Glasses & Sunglasses|Shoes|Trousers & Jeans)/);
  // Every model is trained: the bundle labels through the pipeline, or through the flat model when it ranked first.
  if (/\(Flat \(all 17 leaves\)\)$/.test(levels[0]!)) {
    expect(first).toMatch(/ \(flat route\)$/);
    expect(levels[1]).toMatch(/^notes\.txt: /);
  } else {
    expect(first).toMatch(/ \((combined|hierarchical) route\)$/);
    expect(levels[0]).toMatch(/ +\d+\.\d% +\(Primary\)$/);
    expect(levels[1]).toMatch(/ +\d+\.\d% +\((Glasses & Sunglasses|(Shoes|Trousers & Jeans) — .+)\)$/);
  }
  expect(l.out).toContain('notes.txt: not an image the lab can read');
});

test('a task that fails is named with why, and every other task is still trained, written and reported', () => {
  const root = dir('cli-one-fails');
  makeOneTaskFailsFolder(root);
  const out = dir('cli-one-fails-out');
  const t = lab('train', root, '--epochs', '1', '--quick', '--out', out);
  expect(t.code, t.err).toBe(1);
  expect(t.err).toMatch(/Glasses & Sunglasses: failed: Glasses & Sunglasses cannot be trained: /);
  expect(t.err).toMatch(
    /error: 1 of 4 tasks failed \(Glasses & Sunglasses: .+\); the report, models and labeller of the others are written\n$/,
  );
  expect(t.err).not.toMatch(/this is a bug|\n\s+at /); // no stack
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  expect(report.failed).toEqual([
    { task: 'Glasses & Sunglasses', error: expect.stringMatching(/cannot be trained: /) },
  ]);
  const trained = report.tasks.filter((x: { chosenRunId: string | null }) => x.chosenRunId);
  expect(trained.map((x: { task: { name: string } }) => x.task.name)).toEqual([
    'Primary',
    'Shoes',
    'Flat (all 4 leaves)',
  ]);
  for (const x of trained) expect(existsSync(join(out, x.modelFile))).toBe(true);
  expect(existsSync(join(out, 'labeller.zip'))).toBe(true);
  expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(
    /- Glasses & Sunglasses failed: Glasses & Sunglasses cannot be trained: /,
  );
});

test("ingest takes a folder of the study's NPZ files, or the files, with the sidecar beside them or the study's order", () => {
  const fixtures = join(process.cwd(), 'src', 'core', 'fixtures');
  const names = ['Trousers & Jeans - All - Train.npz', 'Trousers & Jeans - All - Test.npz'];
  const bare = dir('cli-npz-bare');
  const named = dir('cli-npz-named');
  for (const n of names) {
    copyFileSync(join(fixtures, n), join(bare, n));
    copyFileSync(join(fixtures, n), join(named, n));
  }
  const classes = ['Male/Trousers', 'Male/Jeans', 'Female/Trousers', 'Female/Jeans'].map(
    (c) => `Trousers & Jeans/${c}`,
  );
  writeFileSync(join(named, 'classes.json'), JSON.stringify({ classes }));
  const imported = /Trousers & Jeans - All: 8 images, 4 classes\n/;

  const folder = lab('ingest', named);
  expect(folder.code, folder.err).toBe(0);
  expect(folder.out).toMatch(imported);
  expect(folder.out).toMatch(/\n {4}Jeans +1 +1 +0 +0\n/); // Female / Jeans: one training image, as the files split it
  const files = lab('ingest', ...names.map((n) => join(named, n)));
  expect(files.code, files.err).toBe(0);
  expect(files.out).toMatch(imported);

  const nameless = lab('ingest', bare);
  expect(nameless.code).toBe(2);
  expect(nameless.err).toMatch(
    /(^|\n)error: Trousers & Jeans - All has no class names: .* or give --classes study \(the study's "Trousers & Jeans - All" order fits its name\)\n$/,
  );
  const study = lab('ingest', bare, '--classes', 'study');
  expect(study.code, study.err).toBe(0);
  expect(study.out).toMatch(imported);
  expect(study.out).toContain('Female');
});
