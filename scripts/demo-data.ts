/**
 * npm run demo-data -- --out DIR [--per-class N] [--seed S] [--threads T]
 * Writes the demo catalog as a folder tree of 300x400 JPEGs, ready to drop into the lab.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { demoFiles } from '../src/demo/catalog';
import { DEMO_CLASSES, STUDY_PER_CLASS } from '../src/demo/taxonomy';
import { renderJpeg } from './demo/render';

interface Job {
  out: string;
  seed: number;
  files: { path: string; classIndex: number; item: number }[];
}

function writeAll(job: Job, onOne: () => void) {
  for (const f of job.files) {
    const file = join(job.out, f.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, renderJpeg(f.classIndex, f.item, job.seed));
    onOne();
  }
}

function usage(message?: string): never {
  if (message) console.error(`demo-data: ${message}`);
  console.error('usage: npm run demo-data -- --out DIR [--per-class N] [--seed S] [--threads T]');
  console.error(
    `  --per-class  images per class (default ${STUDY_PER_CLASS}: ~16,000 like the study; 17 classes)`,
  );
  process.exit(message ? 2 : 0);
}

export function parseArgs(argv: string[]) {
  const opts = { out: '', perClass: STUDY_PER_CLASS, seed: 1, threads: Math.min(4, availableParallelism()) };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    const num = () => {
      const n = Number(value);
      if (value === undefined || !Number.isInteger(n)) usage(`${flag} needs a whole number`);
      i++;
      return n;
    };
    if (flag === '--help' || flag === '-h') usage();
    else if (flag === '--out') {
      if (!value) usage('--out needs a folder');
      opts.out = resolve(value);
      i++;
    } else if (flag === '--per-class') opts.perClass = num();
    else if (flag === '--seed') opts.seed = num();
    else if (flag === '--threads') opts.threads = Math.max(1, num());
    else usage(`unknown option ${flag}`);
  }
  if (!opts.out) usage('--out DIR is required');
  if (opts.perClass < 1) usage('--per-class must be at least 1');
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const files = demoFiles(opts.perClass);
  const t0 = performance.now();
  let done = 0;
  const report = () => {
    if (done % 200 === 0 || done === files.length) {
      const rate = done / ((performance.now() - t0) / 1000);
      process.stderr.write(`\r${done}/${files.length} images · ${rate.toFixed(0)}/s `);
    }
  };
  const threads = Math.min(opts.threads, Math.ceil(files.length / 50));
  if (threads <= 1) writeAll({ out: opts.out, seed: opts.seed, files }, () => (done++, report()));
  else {
    await Promise.all(
      Array.from({ length: threads }, (_, t) => {
        const job: Job = { out: opts.out, seed: opts.seed, files: files.filter((_, i) => i % threads === t) };
        return new Promise<void>((ok, fail) => {
          const w = new Worker(new URL('./ts-worker.mjs', import.meta.url), {
            workerData: { entry: import.meta.url, job },
          });
          w.on('message', () => (done++, report()));
          w.on('error', fail);
          w.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`worker exited with ${code}`))));
        });
      }),
    );
  }
  const secs = (performance.now() - t0) / 1000;
  process.stderr.write('\n');
  console.log(
    `Wrote ${files.length} images (${DEMO_CLASSES.length} classes x ${opts.perClass}, seed ${opts.seed}) to ${opts.out} in ${secs.toFixed(1)} s`,
  );
}

if (isMainThread) {
  main().catch((e) => {
    console.error(`demo-data: ${(e as Error).message}`);
    process.exit(1);
  });
} else {
  writeAll((workerData as { job: Job }).job, () => parentPort!.postMessage(1));
}
