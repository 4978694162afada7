/**
 * bench:gpu's PyTorch side: runs torch_bench.py (beside this file, in the repo and in the device pack) on the lab's
 * layer lists, on CUDA when `python3 -c "import torch; assert torch.cuda.is_available()"` succeeds (or on the CPU
 * when asked), and says why when it does not run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LayerSpec } from '../../src/core/models';

export interface TorchModel {
  name: string;
  classes: number;
  layers: LayerSpec[];
}

export interface TorchResult {
  model: string;
  batchSize: number;
  samplesPerSecond: number;
  warmUpSeconds: number;
}

export interface TorchReport {
  torch: string;
  device: string;
  deviceName: string;
  results: TorchResult[];
  [more: string]: unknown;
}

export type TorchOutcome = { ran: true; report: TorchReport } | { ran: false; reason: string };

export interface TorchOptions {
  device: 'cuda' | 'cpu';
  models: TorchModel[];
  batchSizes: number[];
  warmup: number;
  batches: number;
  timeoutS: number;
}

const python = () => process.env.PYTHON ?? 'python3';

/** The last line a failed command printed, for a one-line reason. */
function lastLine(text: string | Buffer | null | undefined): string {
  return (
    String(text ?? '')
      .trim()
      .split('\n')
      .at(-1) ?? ''
  );
}

function torchAvailable(device: TorchOptions['device']): string | null {
  const check = device === 'cuda' ? 'import torch; assert torch.cuda.is_available()' : 'import torch';
  const r = spawnSync(python(), ['-c', check], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return `${python()} did not run (${r.error.message})`;
  if (r.status === 0) return null;
  const why = lastLine(r.stderr);
  return device === 'cuda' && why === 'AssertionError'
    ? `${python()}'s PyTorch sees no CUDA device`
    : `${python()} -c "${check}" failed: ${why}`;
}

export function runTorchBench(o: TorchOptions): TorchOutcome {
  const here = dirname(fileURLToPath(import.meta.url));
  const script = join(here, 'torch_bench.py');
  if (!existsSync(script)) return { ran: false, reason: `${script} is missing` };
  const missing = torchAvailable(o.device);
  if (missing) return { ran: false, reason: missing };
  const args = [
    ...['--device', o.device, '--batch-sizes', o.batchSizes.join(',')],
    ...['--models', JSON.stringify(o.models), '--warmup', String(o.warmup), '--batches', String(o.batches)],
  ];
  // Progress (stderr) goes straight through; the report is the one JSON line on stdout.
  const r = spawnSync(python(), [script, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: o.timeoutS * 1000,
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  if (r.error) return { ran: false, reason: `torch_bench.py: ${r.error.message}` };
  if (r.status !== 0) return { ran: false, reason: `torch_bench.py exited with ${r.status}` };
  try {
    return { ran: true, report: JSON.parse(lastLine(r.stdout)) as TorchReport };
  } catch {
    return { ran: false, reason: `torch_bench.py printed no JSON: ${lastLine(r.stdout)}` };
  }
}
