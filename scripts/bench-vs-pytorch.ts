/**
 * npm run bench:vs-pytorch -- [--models small,big] [--threads 1,2] [--rounds N] [--batches N] [--out FILE]
 *                             [--lab-query Q] [--python PATH]
 * The lab's training worker in headless Chromium (bench.html, WASM, as bench:train) against PyTorch on the CPU
 * (scripts/torch/train_bench.py, Debian's python3-torch) on the same models (core/benchModels.ts), batch 64, per
 * thread count, alternating lab, PyTorch, lab, PyTorch… so both see the same load. Each run is fresh (a new page;
 * a new Python process) and times `--batches` batches after a warm-up. Prints every pair and, per model and
 * thread count, the medians and ranges and the ratio lab / PyTorch (the median of the pairs' ratios); writes it
 * all as JSON (default bench-results/vs-pytorch.json), after every pair.
 * PyTorch gets OpenBLAS and tcmalloc where installed (apt-get install libopenblas0-pthread libtcmalloc-minimal4),
 * as in the issue's figures; the JSON says which BLAS and allocator it loaded.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { scriptFlags } from './args';
import { launch, machine, serveLab } from './bench/harness';
import { BENCH_MODELS } from '../src/core/benchModels';
import { layersOf } from '../src/core/models';

const USAGE = `usage: npm run bench:vs-pytorch -- [--models small,big] [--threads 1,2] [--rounds N] [--batches N]
                                 [--out FILE] [--lab-query Q] [--python PATH]
  --rounds N     lab/PyTorch pairs per model and thread count (default 3)
  --batches N    timed batches of 64 per run, after a warm-up (default 8)
  --lab-query Q  appended to the lab's bench.html query, e.g. 'simd=128' or 'no-helpers'
  --python PATH  the Python with torch (default: python3 if it imports torch, else /usr/bin/python3)`;

const flags = scriptFlags(USAGE, {
  models: { type: 'string', default: 'small,big' },
  threads: { type: 'string', default: '1,2' },
  rounds: { type: 'string' },
  batches: { type: 'string' },
  out: { type: 'string', default: 'bench-results/vs-pytorch.json' },
  'lab-query': { type: 'string', default: '' },
  python: { type: 'string' },
});
const opt = flags.values;
const rounds = flags.number('rounds', 3, true);
const batches = flags.number('batches', 8, true);
const BATCH = 64;
const TORCH_WARMUP = 3;
const models = opt.models.split(',') as (keyof typeof BENCH_MODELS)[];
for (const m of models) if (!BENCH_MODELS[m]) flags.fail(`--models: no model '${m}' (small, big)`);
const threadCounts = opt.threads.split(',').map((t) => Number(t));
if (threadCounts.some((t) => !Number.isInteger(t) || t < 1 || t > 8))
  flags.fail(`--threads: whole numbers 1–8, not '${opt.threads}'`);
if (rounds < 1 || batches < 1) flags.fail('--rounds and --batches must be at least 1');
const outFile = resolve(opt.out);

const LIB = '/usr/lib/x86_64-linux-gnu';
const TCMALLOC = `${LIB}/libtcmalloc_minimal.so.4`;
const OPENBLAS = `${LIB}/openblas-pthread`;
const INSTALL = 'apt-get install -y python3-torch libopenblas0-pthread libtcmalloc-minimal4';
const torchScript = resolve('scripts/torch/train_bench.py');

const imports = (py: string) =>
  spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 }).status === 0;

function findPython(): string {
  const candidates = opt.python ? [opt.python] : ['python3', '/usr/bin/python3'];
  const found = candidates.find(imports);
  if (!found) {
    console.error(
      `bench:vs-pytorch: no PyTorch here (${candidates.join(', ')} cannot import torch).\n` +
        `Install Debian's: ${INSTALL}\n(or pass --python PATH to a Python that has torch)`,
    );
    process.exit(1);
  }
  return found;
}

/**
 * Without OpenBLAS, Debian's PyTorch falls back to the reference BLAS (libblas3): its dense layers run several
 * times slower (the big model at 30 samples/s instead of 110 here), and the ratio would flatter the lab.
 */
function requireOpenBlas() {
  if (existsSync(OPENBLAS)) return;
  console.error(
    `bench:vs-pytorch: OpenBLAS is not installed (${OPENBLAS}), so PyTorch would run on the reference BLAS,\n` +
      `several times slower than it runs here with OpenBLAS: not a fair peer. Install: ${INSTALL}`,
  );
  process.exit(1);
}

/** OpenBLAS for the dense layers and tcmalloc for the allocations, where installed (PyTorch at its best here). */
function torchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (existsSync(TCMALLOC)) env.LD_PRELOAD = [TCMALLOC, env.LD_PRELOAD].filter(Boolean).join(':');
  if (existsSync(OPENBLAS)) env.LD_LIBRARY_PATH = [OPENBLAS, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return env;
}

interface TorchRun {
  samplesPerSecond: number;
  threads: number;
  blas: string | null;
  allocator: string;
  torch: string;
  [more: string]: unknown;
}

function runTorch(py: string, model: keyof typeof BENCH_MODELS, threads: number): TorchRun {
  const { spec, classes } = BENCH_MODELS[model];
  const spec_ = JSON.stringify({ name: model, classes, layers: layersOf(spec, classes) });
  const r = spawnSync(
    py,
    [
      torchScript,
      ...['--model', spec_, '--threads', String(threads), '--batch-size', String(BATCH)],
      ...['--warmup', String(TORCH_WARMUP), '--batches', String(batches)],
    ],
    { encoding: 'utf8', env: torchEnv(), timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (r.status !== 0)
    throw new Error(`train_bench.py exited ${r.status}: ${r.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as TorchRun;
}

interface LabReport {
  ok: boolean;
  error?: string;
  result?: { samplesPerSecond: number; warmUpSeconds: number; details: Record<string, unknown> };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const spread = (xs: number[]) => ({
  median: round(median(xs)),
  min: round(Math.min(...xs)),
  max: round(Math.max(...xs)),
});
const round = (x: number) => Math.round(x * 1000) / 1000;

interface Pair {
  model: string;
  threads: number;
  round: number;
  lab: number;
  torch: number;
  ratio: number;
  labDetails: Record<string, unknown>;
  /** The 1-minute load average as the pair ended (others' work on the same cores shows here). */
  load1: number;
}

async function main() {
  const python = findPython();
  requireOpenBlas();
  const report = {
    benchmark: 'vs-pytorch',
    batchSize: BATCH,
    timedBatches: batches,
    torchWarmupBatches: TORCH_WARMUP,
    labQuery: opt['lab-query'],
    machine: machine(),
    loadBefore: loadavg(),
    loadAfter: [] as number[],
    python,
    torch: null as null | Omit<TorchRun, 'samplesPerSecond'>,
    pairs: [] as Pair[],
    summary: [] as object[],
    twoThreadGain: [] as object[],
  };
  const save = () => {
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, JSON.stringify(report, null, 2));
  };
  const { url, server } = await serveLab(4182);
  const browser = await launch();
  const extra = opt['lab-query'] ? `&${opt['lab-query'].replace(/^[?&]/, '')}` : '';
  const runLab = async (model: string, threads: number) => {
    const page = await browser.newPage();
    try {
      await page.goto(
        `${url}bench.html?backend=wasm&threads=${threads}&model=${model}&batches=${batches}${extra}`,
      );
      const r = (await page
        .waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench, null, {
          timeout: 600_000,
        })
        .then((h) => h.jsonValue())) as LabReport;
      if (!r.ok || !r.result) throw new Error(`lab run failed: ${r.error}`);
      return r.result;
    } finally {
      await page.close();
    }
  };
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  try {
    for (const model of models)
      for (const threads of threadCounts)
        for (let k = 0; k < rounds; k++) {
          const lab = await runLab(model, threads);
          const { samplesPerSecond: torch, ...info } = runTorch(python, model, threads);
          report.torch ??= info;
          const pair: Pair = {
            model,
            threads,
            round: k + 1,
            lab: round(lab.samplesPerSecond),
            torch: round(torch),
            ratio: round(lab.samplesPerSecond / torch),
            labDetails: lab.details,
            load1: round(loadavg()[0]!),
          };
          report.pairs.push(pair);
          console.log(
            `${model.padEnd(6)} ${threads} thread${threads > 1 ? 's' : ' '} round ${k + 1}: ` +
              `lab ${pair.lab.toFixed(1).padStart(6)}  PyTorch ${pair.torch.toFixed(1).padStart(6)}  ` +
              `ratio ${pair.ratio.toFixed(2)}  load ${pair.load1.toFixed(1)}  ${JSON.stringify(lab.details)}`,
          );
          save();
        }
  } finally {
    await browser.close();
    await server.close();
  }
  report.loadAfter = loadavg();
  console.log(`\nbatch ${BATCH}, samples/s, median (min–max) of ${rounds} alternating pairs`);
  console.log('model  threads  lab                    PyTorch                lab / PyTorch');
  const cell = (s: { median: number; min: number; max: number }, d = 1) =>
    `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`.padEnd(23);
  for (const model of models)
    for (const threads of threadCounts) {
      const ps = report.pairs.filter((p) => p.model === model && p.threads === threads);
      const row = {
        model,
        threads,
        lab: spread(ps.map((p) => p.lab)),
        torch: spread(ps.map((p) => p.torch)),
        ratio: spread(ps.map((p) => p.ratio)),
      };
      report.summary.push(row);
      console.log(
        `${model.padEnd(6)} ${String(threads).padEnd(8)} ${cell(row.lab)}${cell(row.torch)}${cell(row.ratio, 2)}`,
      );
    }
  // The gain from threads, round by round (each round's runs are close in time).
  if (threadCounts.includes(1))
    for (const model of models)
      for (const threads of threadCounts.filter((t) => t > 1)) {
        const at = (t: number) => report.pairs.filter((p) => p.model === model && p.threads === t);
        const [one, many] = [at(1), at(threads)];
        const n = Math.min(one.length, many.length);
        const gain = (side: 'lab' | 'torch') =>
          spread(Array.from({ length: n }, (_, i) => many[i]![side] / one[i]![side]));
        const row = { model, threads, lab: gain('lab'), torch: gain('torch') };
        report.twoThreadGain.push(row);
        console.log(
          `${model.padEnd(6)} ${threads} threads / 1: lab ${cell(row.lab, 2)} PyTorch ${cell(row.torch, 2)}`,
        );
      }
  console.log(`load average after: ${report.loadAfter.map((l) => l.toFixed(2)).join(' ')}`);
  console.log(
    `PyTorch ${report.torch?.torch}: BLAS ${report.torch?.blas}, allocator ${report.torch?.allocator}`,
  );
  save();
  console.log(`Wrote ${outFile}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
