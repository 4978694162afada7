/** bench:gpu's printed summary: lab samples/s per model and batch size, beside PyTorch's, and the costliest kernels. */
import type { StepProfile } from '../../src/ml/stepProfile';
import type { TorchOutcome } from './torch';

export interface LabRun {
  model: string;
  batchSize: number;
  samplesPerSecond?: number;
  warmUpSeconds?: number;
  profile?: StepProfile;
  skipped?: string;
}

const cell = (v: string, w: number) => v.padStart(w);
const num = (v: number | undefined, digits = 1) => (v === undefined ? '-' : v.toFixed(digits));

export function printTable(
  runs: readonly LabRun[],
  torch: TorchOutcome,
  print: (line: string) => void,
): void {
  const torchSps = (r: LabRun) =>
    torch.ran
      ? torch.report.results.find((t) => t.model === r.model && t.batchSize === r.batchSize)?.samplesPerSecond
      : undefined;
  print('');
  print(
    ['model', 'batch', 'lab samples/s', 'first batch s', 'kernels ms/step', 'torch samples/s', 'lab/torch']
      .map((h, i) => cell(h, i < 2 ? 6 : 16))
      .join(' '),
  );
  for (const r of runs) {
    const t = torchSps(r);
    const ratio = r.samplesPerSecond !== undefined && t ? r.samplesPerSecond / t : undefined;
    print(
      [
        cell(r.model, 6),
        cell(String(r.batchSize), 6),
        cell(r.skipped ? 'skipped' : num(r.samplesPerSecond), 16),
        cell(num(r.warmUpSeconds), 16),
        cell(num(r.profile?.stepMs, 2), 16),
        cell(num(t), 16),
        cell(num(ratio, 3), 16),
      ].join(' '),
    );
  }
  if (!torch.ran) print(`PyTorch: skipped (${torch.reason})`);
  else print(`PyTorch ${torch.report.torch} on ${torch.report.deviceName}`);
  for (const r of runs.filter((r) => r.profile)) {
    print(`\n${r.model} batch ${r.batchSize}, one step: ${r.profile!.stepMs} ms of kernels`);
    for (const k of r.profile!.kernels)
      print(
        `  ${k.kernel.padEnd(28)} ${k.ms.toFixed(2).padStart(10)} ms ${(k.share * 100).toFixed(1).padStart(5)}%`,
      );
  }
}
