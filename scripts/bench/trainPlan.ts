/** Which pages bench:train opens: a backend, a model and what to measure on it, per run (scripts/bench-train.ts). */

export interface TrainPlanOptions {
  /** As --backends names them: wasm, wasm2 (WASM on 2 threads), webgl, webgpu, cpu. */
  backends: readonly string[];
  /** --models as given ('' when not given). */
  models: string;
  profile: boolean;
  noHelpers: boolean;
  stock: boolean;
  noCounts: boolean;
  countsOnly: boolean;
  all: boolean;
  timeSoftware: boolean;
  wasmReads: boolean;
  unfused: boolean;
  labQuery: string;
}

export interface TrainConfig {
  name: string;
  query: string;
  model: 'small' | 'big';
  timeoutS: number;
}

const flag = (name: string, on: boolean) => (on ? `&${name}` : '');

/**
 * The runs, and a line for each software GPU saying what it gets. A software GPU (`software`: the probe's
 * SwiftShader here) trains at ~1 sample/s, and its speed says nothing of a GPU's: it is counted, not timed, and
 * by default for the small model only (the big model's counts took ~10 of a 13-minute run here).
 */
export function planTrainRuns(o: TrainPlanOptions, software: ReadonlySet<string>) {
  const configs: TrainConfig[] = [];
  const notes: string[] = [];
  for (const b of o.backends) {
    const [backend, threads] = b === 'wasm2' ? ['wasm', 2] : [b, 1];
    const gpu = backend === 'webgl' || backend === 'webgpu';
    const soft = software.has(backend);
    const untimed = soft && !o.timeSoftware;
    // Software GPUs and the pure-JS CPU backend: one timed batch, and the big model's timing only with --all.
    const slow = soft || backend === 'cpu';
    const counts = gpu && !o.noCounts;
    const models = (o.models || (untimed && !o.all ? 'small' : 'small,big')).split(',') as (
      'small' | 'big'
    )[];
    if (untimed)
      notes.push(
        `${b.padEnd(12)} a software GPU here: ` +
          (counts
            ? `${models.join(' and ')} counted, not timed`
            : 'neither counted (--no-counts) nor timed') +
          ` (--time-software times it${o.models || o.all || !counts ? '' : '; --all counts big too'})`,
      );
    const variants: { suffix: string; extra: string }[] = [{ suffix: '', extra: '' }];
    if (gpu && o.stock) variants.push({ suffix: ' stock', extra: '&stock' });
    if (backend === 'wasm' && o.wasmReads)
      variants.push({ suffix: ' read/8', extra: '&read-every=8&no-wait' });
    // The conv layers as tfjs' layers run them (conv, bias add, ReLU), next to the fused ones (trainingForward.ts).
    if (o.unfused) variants.push({ suffix: ' unfused', extra: '&unfused' });
    for (const model of models) {
      const timed = !o.countsOnly && !untimed && (!slow || model === 'small' || o.all);
      if (!timed && !counts) continue;
      for (const v of variants)
        configs.push({
          name: `${b}${v.suffix} ${model}`,
          query:
            `?backend=${backend}&threads=${threads}&model=${model}&batches=${slow ? 1 : 3}${v.extra}` +
            flag('profile', o.profile) +
            flag('no-helpers', o.noHelpers) +
            flag('counts', counts) +
            flag('no-timing', !timed) +
            (o.labQuery ? `&${o.labQuery}` : ''),
          model,
          timeoutS: soft || backend === 'cpu' || gpu ? 1200 : 240,
        });
    }
  }
  return { configs, notes };
}
