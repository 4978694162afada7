import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareRoutes } from '../../src/core/compare';
import { routePictureId, taskPictureId } from '../../src/core/report/model';
import { reportRun } from '../../src/core/testing/reportFixture';
import { REPORT_SCHEMA, REPORT_VERSION, writeReport, type Report } from './report';

const dir = mkdtempSync(join(tmpdir(), 'lab-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const task = (
  id: string,
  name: string,
  kind: string,
  classes: string[],
  runs: ReturnType<typeof reportRun>[],
) => ({
  task: { id, name, kind, classes },
  jobs: [],
  runs,
  chosenRunId: runs[0]?.id ?? null,
  modelFile: runs.length ? `models/${name}.zip` : null,
  pictures: {},
});

// What `lab train demo:20 --quick` reports when one of the shoes models did not train.
const report = {
  schema: REPORT_SCHEMA,
  version: REPORT_VERSION,
  createdAt: '2026-12-02T05:00:00.000Z',
  command: ['train', 'demo:20', '--quick'],
  interrupted: false,
  environment: { backend: { label: 'WebAssembly', reason: 'no GPU' } },
  dataset: {
    name: 'Demo catalog',
    source: 'demo',
    images: 340,
    classes: Array(17).fill('x'),
    splitSizes: [272, 34, 34],
    skipped: [],
  },
  tasks: [
    task(
      'primary',
      'Primary',
      'primary',
      ['Glasses & Sunglasses', 'Shoes'],
      [reportRun('p', [0.5, 0.9], 0.95)],
    ),
    task(
      'all:Shoes',
      'Shoes — all 11',
      'all',
      ['Shoes / Male / Boots', 'Shoes / Female / Boots'],
      [reportRun('s', [0.6], 0.6)],
    ),
    task(
      'level2:Shoes',
      'Shoes — Female / Male',
      'level2',
      ['Shoes / Male', 'Shoes / Female'],
      [reportRun('g', [0.7], 0.7)],
    ),
    task(
      'within:Shoes:Male',
      'Shoes — Male types',
      'within',
      ['Shoes / Male / Boots', 'Shoes / Male / Others'],
      [],
    ),
  ],
  comparisons: [],
  threeRoutes: { missing: 'Flat (all 17 leaves) has not been trained.' },
  labellerFile: 'labeller.zip',
} as unknown as Report;

describe('lab train --out writes the report for people', () => {
  writeReport(dir, report);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  const md = readFileSync(join(dir, 'report.md'), 'utf8');

  it('report.html: one file, no script, every picture embedded as a PNG that decodes', () => {
    expect(html).not.toMatch(/<script/i);
    const srcs = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs).toHaveLength(6); // validation and test for each of the three trained tasks
    for (const s of srcs) {
      expect(s).toMatch(/^data:image\/png;base64,/);
      const png = Buffer.from(s.split(',')[1]!, 'base64');
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBeGreaterThan(100); // the IHDR width
    }
  });

  it('report.md: the same sections, pictures as the PNG files written beside it', () => {
    const files = readdirSync(join(dir, 'confusion'));
    const linked = [...md.matchAll(/!\[[^\]]*\]\(confusion\/([^)]+)\)/g)].map((m) => m[1]!);
    expect(linked.sort()).toEqual(files.sort());
    expect(linked).toContain(`${taskPictureId('Primary', 'test')}.png`);
    for (const name of ['## Primary', '## Shoes — all 11', '## Shoes — Male types'])
      expect(md).toContain(name);
  });

  it('both say what is missing in words, and the study’s figures stand beside the demo catalog’s', () => {
    for (const text of [md, html]) {
      expect(text).toContain('Shoes — Male types has not been trained.');
      expect(text).toContain('have not been compared: train Shoes — Male types first.');
      expect(text).toContain('99.88%');
      expect(text).toContain(
        'The three-way comparison with a flat model: Flat (all 17 leaves) has not been trained.',
      );
    }
  });

  it('a comparison that ran is in both, with its two route matrices', () => {
    const images = [
      {
        truth: ['Shoes', 'Male', 'Boots'],
        combined: ['Shoes', 'Male', 'Boots'],
        level2: 'Male',
        branch: ['Shoes', 'Male', 'Boots'],
      },
    ];
    const c = {
      ...compareRoutes(images),
      category: 'Shoes',
      leaves: ['Male / Boots', 'Female / Boots'],
      confusion: {
        combined: [
          [1, 0],
          [0, 0],
        ],
        hierarchical: [
          [1, 0],
          [0, 0],
        ],
      },
      pictures: {},
    };
    const again = join(dir, 'compared');
    writeReport(again, { ...report, comparisons: [c] } as unknown as Report);
    const h = readFileSync(join(again, 'report.html'), 'utf8');
    expect(h).toContain('data-comparison="Shoes"');
    expect(h).toContain('McNemar');
    expect(readdirSync(join(again, 'confusion'))).toContain(`${routePictureId('Shoes', 'hierarchical')}.png`);
    expect(JSON.parse(readFileSync(join(again, 'report.json'), 'utf8')).comparisons).toHaveLength(1);
  });
});
