/**
 * The study at a glance, as plain data: every task's chosen run, its grids' spread, each category's route
 * comparison, the three-way comparison where there is one, the study's figures beside the lab's on the demo
 * catalog, and what is missing in words. The page and the command line build it from their own records and
 * render it with the same functions (markdown.ts, html.ts), so both say the same thing.
 */
import { firstLookCaveat, ROUTE_NAMES, threeRouteSummary } from '../explain';
import { formatCount, formatPercent } from '../format';
import { describeModel } from '../models';
import type { ThreeRouteComparison } from '../threeRoutes';
import { STUDY_COMPARISON, STUDY_SOURCE, STUDY_TEST_ACCURACY } from './studyFigures';
import type {
  Cell,
  ReportComparisonSection,
  ReportGridInput,
  ReportInput,
  ReportModel,
  ReportPicture,
  ReportRunInput,
  ReportTable,
  ReportTask,
  ReportTaskInput,
} from './types';

export type * from './types';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : formatPercent(v));

/** File-safe, lower-case name: "Shoes — Male types test" → "shoes-male-types-test". */
export const slug = (s: string) =>
  s
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/** FNV-1a over the code points, base 36: a short tag of the exact text. */
function textHash(s: string): string {
  let h = 0x811c9dc5;
  for (const c of s) h = Math.imul(h ^ c.codePointAt(0)!, 0x01000193);
  return (h >>> 0).toString(36);
}

/**
 * A file name for a piece of text: its slug, for people, and a hash of the text itself, because slugs collide
 * ("A&B" and "A B" are both "a-b"; two names of emoji alone are both empty).
 */
export const fileId = (s: string) => `${slug(s) || 'x'}-${textHash(s)}`;

/** The ids of the report's pictures (also the command line's PNG file names, confusion/<id>.png). */
export const taskPictureId = (taskName: string, which: 'validation' | 'test') =>
  fileId(`${taskName} ${which}`);
export const routePictureId = (category: string, route: 'combined' | 'hierarchical') =>
  fileId(`${category} ${route} route`);

export const keptScore = (r: Pick<ReportRunInput, 'epochs' | 'bestEpoch'>): number | null =>
  r.epochs.find((e) => e.epoch === r.bestEpoch)?.valAccuracy ?? null;

const runName = (r: ReportRunInput) => `run ${r.cell + 1}.${r.repeat + 1}, seed ${r.settings.seed}`;

function missingTask(t: ReportTaskInput): string {
  const name = t.task.name;
  if (t.failure) return `${name} failed: ${t.failure}`;
  if (!t.runs.length) return `${name} has not been trained.`;
  const done = t.runs.filter((r) => r.status === 'done').length;
  if (!done) return `${name} has no finished run (${t.runs.length} started, none finished).`;
  return `${name} has no run with a saved model and a test result (${done} finished).`;
}

function gridTable(g: ReportGridInput): ReportTable {
  return {
    head: ['cell', 'runs', 'mean validation accuracy', 'sd', '95% interval'],
    rows: g.rows.map((r) => {
      const s = r.summary;
      return [
        r.label,
        String(s.n),
        s.n ? pct(s.mean) : '–',
        s.n > 1 ? pct(s.sd) : '–',
        s.n > 1 ? `${pct(s.low)} – ${pct(s.high)}` : '–',
      ];
    }),
  };
}

function buildTask(t: ReportTaskInput, demo: boolean): ReportTask {
  const chosen = t.runs.find((r) => r.id === t.chosenRunId) ?? null;
  const base = {
    id: t.task.id,
    name: t.task.name,
    grids: t.grids
      .filter((g) => g.rows.length)
      .map((g) => ({
        title:
          g.rows.length > 1
            ? `Grid: ${g.rows.length} cells`
            : `Repeated runs: ${g.rows[0]!.summary.n} of ${g.rows[0]!.label}`,
        table: gridTable(g),
        noise: g.noise,
      })),
    modelFile: t.modelFile ?? null,
  };
  if (!chosen) return { ...base, missing: missingTask(t), facts: [], epochs: null, pictures: [] };
  const kept = chosen.epochs.find((e) => e.epoch === chosen.bestEpoch);
  const s = chosen.settings;
  const study = demo ? STUDY_TEST_ACCURACY[t.task.id] : undefined;
  const facts: [string, string][] = [
    [
      'Chosen run',
      `${runName(chosen)} (the best validation accuracy of ${t.runs.length} run${t.runs.length === 1 ? '' : 's'})`,
    ],
    ['Model', `${describeModel(chosen.spec)} (${formatCount(chosen.params)} parameters)`],
    [
      'Settings',
      `${s.epochs} epochs at most, batch ${s.batchSize}, learning rate ${s.learningRate}, patience ${s.patience}` +
        `${s.flip ? ', horizontal flips' : ''}; trained on ${chosen.backend}`,
    ],
    [
      'Epochs kept',
      kept
        ? `epoch ${kept.epoch + 1} of the ${chosen.epochs.length} it ran${chosen.stoppedEarly ? ' (stopped early)' : ''}`
        : '–',
    ],
    ['Validation accuracy', pct(keptScore(chosen))],
    ['Test accuracy', pct(chosen.test?.accuracy)],
  ];
  const caveat =
    chosen.test &&
    firstLookCaveat({
      classes: t.task.classes.length,
      epochs: s.epochs,
      testImages: chosen.test.confusion.flat().reduce((a, b) => a + b, 0),
      accuracy: chosen.test.accuracy,
    });
  if (caveat) facts.push([FIRST_LOOK, caveat]);
  const pictures: ReportPicture[] = [];
  if (kept)
    pictures.push({
      id: taskPictureId(t.task.name, 'validation'),
      title: `${t.task.name}: validation, epoch ${kept.epoch + 1}`,
      matrix: kept.confusion,
      classes: t.task.classes,
    });
  if (chosen.test)
    pictures.push({
      id: taskPictureId(t.task.name, 'test'),
      title: `${t.task.name}: test set`,
      matrix: chosen.test.confusion,
      classes: t.task.classes,
    });
  return {
    ...base,
    missing: null,
    facts: study ? [...facts, ['The study’s test accuracy', studyText(study)]] : facts,
    epochs: {
      head: ['epoch', 'loss', 'accuracy', 'val loss', 'val accuracy', 'samples/s'],
      rows: chosen.epochs.map((e) => [
        `${e.epoch + 1}${e.epoch === chosen.bestEpoch ? ' (kept)' : ''}`,
        e.loss.toFixed(4),
        pct(e.accuracy),
        e.valLoss.toFixed(4),
        pct(e.valAccuracy),
        e.samplesPerSecond.toFixed(1),
      ]),
    },
    pictures,
  };
}

const studyText = (f: { testAccuracy: number; note?: string }) =>
  `${formatPercent(f.testAccuracy, 2)}${f.note ? ` (${f.note})` : ''}`;

function buildComparison(c: ReportInput['comparisons'][number], demo: boolean): ReportComparisonSection {
  const r = c.result;
  if (!r)
    return {
      category: c.category,
      missing: `${c.category}: the combined and hierarchical routes have not been compared${c.reason ? `: ${c.reason}` : '.'}`,
      table: null,
      lines: [],
      pictures: [],
    };
  const study = demo ? STUDY_COMPARISON[c.category] : undefined;
  const rows: Cell[][] = [
    ['points (2 per image)', String(r.combined.points), String(r.hierarchical.points)],
    ['… for the level-2 label', String(r.combined.level2Points), String(r.hierarchical.level2Points)],
    ['… for the type', String(r.combined.typePoints), String(r.hierarchical.typePoints)],
    ['leaf accuracy', pct(r.combined.leafAccuracy), pct(r.hierarchical.leafAccuracy)],
  ];
  if (study) rows.push(['the study’s points', String(study.combined), String(study.hierarchical)]);
  const routeName = (what: string, task: string | undefined) => (task ? `${what} (${task})` : what);
  return {
    category: c.category,
    missing: null,
    table: {
      head: [
        `${formatCount(r.images)} test images`,
        routeName('combined', r.combinedTask),
        routeName('hierarchical', r.hierarchicalTasks?.join(' → ')),
      ],
      rows,
    },
    lines: [
      `McNemar’s test on the images only one route got right: ${r.mcnemar.words}`,
      `The hierarchy’s leaf errors: ${r.hierarchical.wrongBranch} in the wrong branch, ` +
        `${r.hierarchical.rightBranchWrongLeaf} in the right branch but on the wrong leaf.`,
    ],
    pictures: (['combined', 'hierarchical'] as const).map((route) => ({
      id: routePictureId(c.category, route),
      title: `${c.category}: ${route} route (test)`,
      matrix: r.confusion[route],
      classes: r.leaves,
    })),
  };
}

const FIRST_LOOK = 'What this can show';

function firstLooksLine(tasks: readonly ReportTask[]): string | null {
  const names = tasks.filter((t) => t.facts.some(([k]) => k === FIRST_LOOK)).map((t) => t.name);
  if (!names.length) return null;
  return (
    `First looks, not results: ${names.join(', ')} (3 epochs or fewer, or under 10 test images a class). ` +
    'Their figures show that a task trains, not how well; each task below says what its run can show.'
  );
}

export function buildReport(input: ReportInput): ReportModel {
  const d = input.dataset;
  const tasks = input.tasks.map((t) => buildTask(t, d.demo));
  const comparisons = input.comparisons.map((c) => buildComparison(c, d.demo));
  const chosenOf = (t: ReportTaskInput) => t.runs.find((r) => r.id === t.chosenRunId);
  const head = ['task', 'runs', 'chosen run', 'validation', 'test'];
  const overview: ReportTable = {
    head: d.demo ? [...head, 'the study’s test'] : head,
    rows: input.tasks.map((t) => {
      const c = chosenOf(t);
      const row = [
        t.task.name,
        String(t.runs.length),
        c ? `${c.cell + 1}.${c.repeat + 1}, seed ${c.settings.seed}` : 'not trained',
        pct(c ? keptScore(c) : null),
        pct(c?.test?.accuracy),
      ];
      const study = STUDY_TEST_ACCURACY[t.task.id];
      return d.demo ? [...row, study ? formatPercent(study.testAccuracy, 2) : '–'] : row;
    }),
  };
  const missing = [
    ...tasks.flatMap((t) => (t.missing ? [t.missing] : [])),
    ...comparisons.flatMap((c) => (c.missing ? [c.missing] : [])),
  ];
  if (!input.threeRoutes && input.threeRoutesNote)
    missing.push(`The three-way comparison with a flat model: ${input.threeRoutesNote}`);
  if (!input.tasks.length) missing.unshift('No task models were derived from this dataset.');
  return {
    title: `Fashion CNN Lab report: ${d.name}`,
    lines: [
      ...(input.notes ?? []),
      `${input.createdAt}. Dataset: ${formatCount(d.images)} images in ${d.classes} classes; split ` +
        `${d.splitSizes.map(formatCount).join(' / ')} (train / validation / test); ${d.skipped} files skipped.`,
    ],
    overview,
    studySource: d.demo ? STUDY_SOURCE : null,
    firstLooks: firstLooksLine(tasks),
    missing,
    tasks,
    comparisons,
    threeRoutes: input.threeRoutes ? threeRouteSection(input.threeRoutes) : null,
    labellerFile: input.labellerFile ?? null,
  };
}

function threeRouteSection(c: ThreeRouteComparison): NonNullable<ReportModel['threeRoutes']> {
  const routes = c.ranking;
  return {
    table: {
      head: [`${formatCount(c.images)} test images`, ...routes.map((r) => ROUTE_NAMES[r])],
      rows: [
        ['leaf accuracy', ...routes.map((r) => pct(c.routes[r].leafAccuracy))],
        ['points', ...routes.map((r) => `${c.routes[r].points} of ${c.routes[r].maxPoints}`)],
        ['wrong category', ...routes.map((r) => String(c.routes[r].wrongCategory))],
        ['right category, wrong leaf', ...routes.map((r) => String(c.routes[r].rightCategoryWrongLeaf))],
      ],
    },
    byCategory: {
      head: ['category', 'images', ...routes.map((r) => `${ROUTE_NAMES[r]} points / leaf accuracy`)],
      rows: c.byCategory.map((k) => [
        k.category,
        String(k.images),
        ...routes.map((r) => `${k.routes[r].points} / ${pct(k.routes[r].leafAccuracy)}`),
      ]),
    },
    lines: threeRouteSummary(c),
  };
}

/**
 * Why a category's two routes were not compared, from the tasks of its routes (its combined model, its level-2
 * model and the models within each value) and whether each has a chosen model.
 */
export function comparisonReason(routeTasks: readonly { name: string; trained: boolean }[]): string {
  const untrained = routeTasks.filter((t) => !t.trained).map((t) => t.name);
  return untrained.length
    ? `train ${untrained.join(', ')} first.`
    : 'the comparison has not been run yet (Compare both routes).';
}

/** Every picture the report shows, each once. */
export const reportPictures = (m: ReportModel): ReportPicture[] => [
  ...m.tasks.flatMap((t) => t.pictures),
  ...m.comparisons.flatMap((c) => c.pictures),
];
