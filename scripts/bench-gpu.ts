/**
 * npm run bench:gpu -- [--quick] [--out FILE] [--batches N] [--warmup N] [--budget-s S] [--no-profile | --profile]
 *   [--torch-device cuda|cpu]
 * The lab's own training loop (timeTraining → trainModel) on WebGPU in Node through Dawn, with the lab's WebGPU
 * kernels registered: samples/second after warm-up for the `small` and `big` benchmark models at batch 64 and
 * 256, per-kernel GPU times where the device has timestamp-query, and the same models in PyTorch on CUDA when
 * that is there (lab / PyTorch ratio). Prints a table; writes JSON (default bench-results/gpu.json) after every
 * step, so a run cut short keeps what it measured. --quick: small model, batch 64, 1 timed batch (and on a
 * software adapter no profiled step, which costs as much again, unless --profile).
 * On a GPU server with no Node, run it from the device pack (scripts/device/README.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { scriptFlags } from './args';
import { hasGpuDeviceNode, machineInfo } from './device/machine';
import { printTable, type LabRun } from './device/table';
import { runTorchBench, type TorchOutcome } from './device/torch';
import { layersOf } from '../src/core/models';
import { startDawnWebGpu, type DawnGpu } from '../src/ml/webgpu/node/dawn';
import { BENCH_MODELS } from '../src/core/benchModels';

const MODELS = BENCH_MODELS;

const flags = scriptFlags(
  `usage: npm run bench:gpu -- [--quick] [--out FILE] [--batches N] [--warmup N] [--budget-s S]
                      [--no-profile | --profile] [--torch-device cuda|cpu]`,
  {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results/gpu.json' },
    batches: { type: 'string' },
    warmup: { type: 'string' },
    'torch-device': { type: 'string', default: 'cuda' },
    'budget-s': { type: 'string' },
    profile: { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
  },
);
const opt = flags.values;
const quick = opt.quick;
const outFile = resolve(opt.out);
const batches = flags.number('batches', quick ? 1 : 6, true);
// Untimed batches before each timed run (which also starts with one untimed batch: see timeTraining).
const warmup = flags.number('warmup', quick ? 0 : 2, true);
if (!['cuda', 'cpu'].includes(opt['torch-device']))
  flags.fail(`--torch-device is cuda or cpu, not '${opt['torch-device']}'`);
const torchDevice = opt['torch-device'] === 'cpu' ? 'cpu' : 'cuda';
// A GPU server's run has 8 minutes: configs not started by then are skipped (and say so).
const budgetS = flags.number('budget-s', 420);
const models = quick ? (['small'] as const) : (['small', 'big'] as const);
const batchSizes = quick ? [64] : [64, 256];

const t0 = performance.now();
const elapsed = () => (performance.now() - t0) / 1000;
const log = (line: string) => console.log(`[bench:gpu ${elapsed().toFixed(0).padStart(4)} s] ${line}`);

const report = {
  benchmark: 'gpu',
  quick,
  plan: { models, batchSizes, warmupBatches: warmup + 1, timedBatches: batches, budgetS },
  machine: machineInfo(),
  webgpu: null as null | (DawnGpu & { timestampQuery: boolean; labKernels: boolean }),
  runs: [] as LabRun[],
  torch: { ran: false, reason: 'not run' } as TorchOutcome,
  error: null as string | null,
  seconds: 0,
};

/** Rewritten after every step, so a run cut short keeps what it measured. */
function save() {
  report.seconds = Math.round(elapsed());
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(report, null, 2));
}

async function main() {
  // PyTorch first: it takes seconds on CUDA, and its figures are the yardstick even if WebGPU fails or runs late.
  log(`PyTorch (${torchDevice})...`);
  report.torch = runTorchBench({
    device: torchDevice,
    models: models.map((m) => ({
      name: m,
      classes: MODELS[m].classes,
      layers: layersOf(MODELS[m].spec, MODELS[m].classes),
    })),
    batchSizes,
    warmup: 5,
    batches: quick ? 3 : 20,
    timeoutS: 180,
  });
  const torch = report.torch;
  log(torch.ran ? `PyTorch on ${torch.report.deviceName}: done` : `PyTorch skipped: ${torch.reason}`);
  save();

  log('starting tfjs WebGPU on Dawn...');
  // No GPU device node: ask for SwiftShader (Dawn skips other software drivers). A set VK_ICD_FILENAMES wins.
  const gpu = await startDawnWebGpu({ preferSoftware: !hasGpuDeviceNode() });
  // Only now: the lab's training modules import tfjs' WebGPU backend, which registers itself only if
  // navigator.gpu exists when it is first loaded.
  const { timeTraining } = await import('../src/ml/trainBench');
  const { profileStep } = await import('../src/ml/stepProfile');
  const { registerWebGpuTrainingKernels, webGpuTrainingKernelsRegistered } =
    await import('../src/ml/webgpu/register');
  registerWebGpuTrainingKernels();

  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  const timestamps = device.features.has('timestamp-query');
  const profile = timestamps && !opt['no-profile'] && (!quick || !gpu.software || opt.profile);
  log(`adapter: ${gpu.adapter.description} (${gpu.adapter.vendor}, ${gpu.adapter.architecture})`);
  if (gpu.software)
    log(
      `SOFTWARE ADAPTER (${gpu.adapter.description}): it runs on the CPU; these figures say nothing about GPUs.`,
    );
  const skipWhy = opt['no-profile'] ? '--no-profile' : '--quick on a software adapter; add --profile';
  log(
    !timestamps
      ? 'timestamp-query: no, so no per-kernel GPU times'
      : `timestamp-query: yes; ${profile ? 'per-kernel GPU times follow each run' : `not profiling (${skipWhy})`}`,
  );

  report.webgpu = { ...gpu, timestampQuery: timestamps, labKernels: webGpuTrainingKernelsRegistered() };
  report.machine = machineInfo(); // the Vulkan driver Dawn was given, now
  save();

  for (const model of models) {
    for (const batchSize of batchSizes) {
      const name = `${model} batch ${batchSize}`;
      if (elapsed() > budgetS) {
        log(`${name}: skipped, past the ${budgetS} s budget`);
        report.runs.push({ model, batchSize, skipped: `past the ${budgetS} s budget` });
        continue;
      }
      const { spec, classes } = MODELS[model];
      if (warmup > 0) {
        log(`${name}: ${warmup} warm-up batches...`);
        await timeTraining({ spec, classes, batchSize, batches: warmup - 1 });
      }
      log(`${name}: 1 untimed + ${batches} timed batches...`);
      const timing = await timeTraining({ spec, classes, batchSize, batches });
      log(
        `${name}: ${timing.samplesPerSecond.toFixed(1)} samples/s (first batch ${timing.warmUpSeconds.toFixed(1)} s)`,
      );
      const run: LabRun = { model, batchSize, ...timing };
      report.runs.push(run);
      save();
      if (profile) {
        log(`${name}: profiling one step...`);
        run.profile = await profileStep(spec, classes, 8, batchSize);
        log(`${name}: ${run.profile.stepMs} ms of GPU kernels per step`);
        save();
      }
    }
  }
  printTable(report.runs, torch, (line) => console.log(line));
  save();
  console.log(`\nWrote ${outFile}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    report.error = e instanceof Error ? e.message : String(e);
    printTable(report.runs, report.torch, (line) => console.log(line));
    save();
    console.log(`\nWrote ${outFile} (with the error)`);
    process.exit(1);
  },
);
