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
import { scriptFlags } from './args';
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

const USAGE = `usage: npm run demo-data -- --out DIR [--per-class N] [--seed S] [--threads T]
  --per-class  images per class (default ${STUDY_PER_CLASS}: ~16,000 like the study; 17 classes)`;

function parseCommandLine() {
  const flags = scriptFlags(USAGE, {
    out: { type: 'string' },
    'per-class': { type: 'string' },
    seed: { type: 'string' },
    threads: { type: 'string' },
  });
  const { out } = flags.values;
  if (!out) return flags.fail('--out DIR is required');
  const opts = {
    out: resolve(out),
    perClass: flags.number('per-class', STUDY_PER_CLASS, true),
    seed: flags.number('seed', 1, true),
    threads: Math.max(1, flags.number('threads', Math.min(4, availableParallelism()), true)),
  };
  if (opts.perClass < 1) flags.fail('--per-class must be at least 1');
  return opts;
}

async function main() {
  const opts = parseCommandLine();
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
