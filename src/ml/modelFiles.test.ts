import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEMO_CLASSES } from '../demo/taxonomy';
import { compareLabels } from '../core/labels';
import { bundleZip, readLabellerZip, type Labeller } from '../core/labeller';
import { ModelFileError, modelZip, type ModelMetadata, type StoredModel } from '../core/modelFiles';
import { deriveTasks } from '../core/tasks';
import { storedModel } from './testing/storedModel';

const classes = DEMO_CLASSES.map((c) => c.path).sort(compareLabels);
const tasks = deriveTasks(classes);
const spec = { family: 'model2', filters: 2, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 } as const;

const stored = (outputs: number, seed: number) => storedModel(spec, outputs, seed);

async function labeller(
  picked = tasks.slice(0, 3),
): Promise<{ l: Labeller; models: Map<string, StoredModel> }> {
  const models = new Map<string, StoredModel>();
  for (const [i, t] of picked.entries()) models.set(`m${i}`, await stored(t.outputs.length, i + 1));
  const l: Labeller = {
    id: 'x',
    name: 'demo',
    classes,
    resize: 'letterbox',
    source: 'dataset',
    createdAt: '',
    routes: { Shoes: 'hierarchical' },
    models: picked.map((t, i) => ({
      taskId: t.id,
      taskName: t.name,
      modelId: `m${i}`,
      outputs: t.outputs,
      validationAccuracy: 0.5,
      testAccuracy: 0.4,
    })),
  };
  return { l, models };
}

const rezip = (bytes: Uint8Array, edit: (files: Record<string, Uint8Array>) => void) => {
  const files = unzipSync(bytes);
  edit(files);
  return zipSync(files);
};

describe('model files', () => {
  it('round-trips a labeller bundle, and each model loads with tfjs and predicts the same', async () => {
    const { l, models } = await labeller();
    const back = readLabellerZip(bundleZip(l, models), 'demo.zip');
    expect(back.labeller.classes).toEqual(classes);
    expect(back.labeller.routes).toEqual({ Shoes: 'hierarchical' });
    expect(back.labeller.models.map((m) => m.taskName)).toEqual([
      'Primary',
      'Glasses & Sunglasses',
      'Shoes — all 11',
    ]);
    const json = JSON.parse(strFromU8(back.files[0]!.modelJson));
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory(
        json.modelTopology,
        json.weightsManifest[0].weights,
        back.files[0]!.weights.slice().buffer,
      ),
    );
    const original = await tf.loadLayersModel(
      tf.io.fromMemory(
        models.get('m0')!.modelTopology as object,
        models.get('m0')!.weightSpecs,
        models.get('m0')!.weightData,
      ),
    );
    const x = tf.randomUniform([2, 120, 90, 3], 0, 1, 'float32', 3);
    expect(Array.from(await (loaded.predict(x) as tf.Tensor).data())).toEqual(
      Array.from(await (original.predict(x) as tf.Tensor).data()),
    );
    tf.dispose([x, loaded, original] as unknown as tf.Tensor[]);
  });

  it('carries the flat model over every leaf and the choice to label with it', async () => {
    const flat = tasks.find((t) => t.kind === 'flat')!;
    const { l, models } = await labeller([tasks[0]!, flat]);
    const back = readLabellerZip(bundleZip({ ...l, flat: true }, models), 'flat.zip');
    expect(back.labeller.flat).toBe(true);
    expect(back.labeller.models.map((m) => [m.taskId, m.outputs.length])).toEqual([
      ['primary', 3],
      ['flat', 17],
    ]);
    expect(back.stored[1]!.weightData.byteLength).toBe(models.get('m1')!.weightData.byteLength);
    // A bundle that says nothing about it leaves the choice to the lab.
    expect(readLabellerZip(bundleZip(l, models), 'old.zip').labeller.flat).toBeUndefined();
  });

  it('reads a single exported model as a labeller of one task', async () => {
    const m = await stored(3, 1);
    const meta = {
      format: 'fashion-cnn-lab/model',
      task: { id: tasks[0]!.id },
      datasetClasses: classes,
      preprocessing: { resize: 'crop' },
    };
    const r = readLabellerZip(modelZip(m, meta as unknown as ModelMetadata), 'primary.zip');
    expect(r.labeller.models.map((x) => x.taskName)).toEqual(['Primary']);
    expect(r.labeller.resize).toBe('crop');
  });

  it('rejects malformed or mismatched bundles with a reason', async () => {
    const { l, models } = await labeller();
    const good = bundleZip(l, models);
    const reject = (bytes: Uint8Array, why: RegExp) => {
      expect(() => readLabellerZip(bytes, 'b.zip')).toThrow(ModelFileError);
      expect(() => readLabellerZip(bytes, 'b.zip')).toThrow(why);
    };
    reject(strToU8('not a zip at all'), /not a readable zip/);
    reject(
      rezip(good, (f) => (f['labeller.json'] = strToU8('{ nope'))),
      /labeller.json is not valid JSON/,
    );
    reject(
      rezip(good, (f) => (f['models/0/weights.bin'] = f['models/0/weights.bin']!.slice(8))),
      /Primary \(models\/0\/\): the weights file has \d+ bytes but the model declares \d+/,
    );
    reject(
      rezip(good, (f) => {
        const b = JSON.parse(strFromU8(f['labeller.json']!));
        b.models[0].outputs = [['A'], ['B'], ['C']];
        f['labeller.json'] = strToU8(JSON.stringify(b));
      }),
      /Primary: its classes do not match the label tree/,
    );
    reject(
      rezip(good, (f) => {
        // Primary's model put where Glasses' (2 classes) should be.
        f['models/1/model.json'] = f['models/0/model.json']!;
        f['models/1/weights.bin'] = f['models/0/weights.bin']!;
      }),
      /Glasses & Sunglasses \(models\/1\/\): the model has 3 outputs for 2 classes/,
    );
    reject(
      rezip(good, (f) => delete f['models/2/weights.bin']),
      /Shoes — all 11: its model files are missing/,
    );
    // A lying central directory: weights.bin claims 4 GB. Refused before inflating anything.
    const lying = good.slice();
    for (let i = 0; i < lying.length - 4; i++) {
      if (lying[i] === 0x50 && lying[i + 1] === 0x4b && lying[i + 2] === 1 && lying[i + 3] === 2) {
        lying.set([0xf0, 0xff, 0xff, 0xff], i + 24);
        break;
      }
    }
    reject(lying, /absurd size/);
  });
});
