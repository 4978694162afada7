/**
 * Hostile labeller bundles and model zips, imported as a user imports them (the Label step's "Import a labeller"):
 * each case is a crafted file, the message the page shows, and the check that nothing was stored. The models are
 * checked by the real prediction worker's code (src/workers/predict.ts) on tfjs' CPU backend: loaded with
 * tf.loadLayersModel and run on one image before anything is kept. The runner's table is
 * scripts/cluster/hostileJob.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleZip, type Labeller } from '../core/labeller';
import { compareLabels } from '../core/labels';
import { modelZip, type ModelMetadata, type StoredModel } from '../core/modelFiles';
import { deriveTasks } from '../core/tasks';
import { DEMO_CLASSES } from '../demo/taxonomy';
import { storedModel } from '../ml/testing/storedModel';
import { Predictor } from '../workers/predict';
import { Lab } from './lab';
import { fakeDeps } from './testing/fakes';

const classes = DEMO_CLASSES.map((c) => c.path).sort(compareLabels);
const primary = deriveTasks(classes)[0]!;
const spec = { family: 'model2', filters: 2, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 } as const;
const predictor = new Predictor({
  start: async () => {
    await tf.setBackend('cpu');
    return { backend: 'cpu' } as never;
  },
});

let model: StoredModel;
beforeAll(async () => {
  await tf.setBackend('cpu');
  model = await storedModel(spec, primary.outputs.length, 1);
});

const labeller = (): Labeller => ({
  id: 'x',
  name: 'demo',
  classes,
  resize: 'letterbox',
  source: 'dataset',
  createdAt: '',
  routes: {},
  models: [
    {
      taskId: primary.id,
      taskName: primary.name,
      modelId: 'm0',
      outputs: primary.outputs,
      validationAccuracy: 0.9,
      testAccuracy: 0.8,
    },
  ],
});
const bundle = () => bundleZip(labeller(), new Map([['m0', model]]));
type Files = Record<string, Uint8Array>;
const edit = (bytes: Uint8Array, change: (f: Files) => void) => {
  const f = unzipSync(bytes);
  change(f);
  return zipSync(f);
};
interface BundleFile {
  classes: unknown;
  models: { taskId: string; path: string; outputs: string[][]; validationAccuracy: number }[];
}
interface ModelFile {
  modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  weightsManifest: { weights: { name: string; shape: number[] }[] }[];
}
const json = <T>(f: Files, name: string) => JSON.parse(strFromU8(f[name]!)) as T;
const editJson =
  <T>(name: string, change: (j: T) => void) =>
  (f: Files) => {
    const j = json<T>(f, name);
    change(j);
    f[name] = strToU8(JSON.stringify(j));
  };
const editBundle = (change: (b: BundleFile) => void) => editJson<BundleFile>('labeller.json', change);
const editModel = (change: (m: ModelFile) => void) => editJson<ModelFile>('models/0/model.json', change);
/** The bundle's weights with the value at `index` (a float32) set to `value`. */
const weightAt = (index: number, value: number) => (f: Files) => {
  const w = f['models/0/weights.bin']!.slice();
  new DataView(w.buffer).setFloat32(index * 4, value, true);
  f['models/0/weights.bin'] = w;
};
/** Replaces text in the zip's bytes (names in the local headers and the central directory alike). */
const patch = (bytes: Uint8Array, from: string, to: string) => {
  if (from.length !== to.length) throw new Error('same length only');
  return Uint8Array.from(Buffer.from(Buffer.from(bytes).toString('latin1').replaceAll(from, to), 'latin1'));
};
/** Sets a field of every central-directory entry named `name` (offset 20: packed size, 24: size). */
const central = (bytes: Uint8Array, name: string, offset: number, value: number) => {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 46 < out.length; i++)
    if (
      view.getUint32(i, true) === 0x02014b50 &&
      strFromU8(out.subarray(i + 46, i + 46 + name.length)) === name
    )
      view.setUint32(i + offset, value, true);
  return out;
};
const deflated = (files: Files) => zipSync(files, { level: 6 });
const singleMeta = {
  format: 'fashion-cnn-lab/model',
  version: 1,
  task: { id: primary.id, name: primary.name },
  datasetClasses: classes,
  preprocessing: { resize: 'crop' },
  metrics: { validationAccuracy: 0.9, testAccuracy: 0.8 },
};
const single = (meta: object) => modelZip(model, meta as ModelMetadata);
const WHERE = 'Primary (models/0/)';

const CASES: { name: string; file: () => Uint8Array; message: string }[] = [
  {
    name: 'not a zip',
    file: () => strToU8('hello'),
    message: 'This is not a readable zip file (no end of central directory; truncated?).',
  },
  {
    name: 'a truncated bundle',
    file: () => bundle().subarray(0, 2000),
    message: 'This is not a readable zip file (no end of central directory; truncated?).',
  },
  {
    name: 'a zip bomb: weights.bin declares 4 GB',
    file: () => central(bundle(), 'models/0/weights.bin', 24, 0xf0000000),
    message: 'The zip declares an absurd size for models/0/weights.bin; nothing was imported.',
  },
  {
    name: 'a lying size: weights.bin declares less than it holds',
    file: () => central(deflated(unzipSync(bundle())), 'models/0/weights.bin', 24, 100),
    message: 'models/0/weights.bin is not the 100 bytes its zip header declares (a lying or damaged zip).',
  },
  {
    name: 'a damaged entry (bytes flipped inside labeller.json)',
    file: () => patch(zipSync(unzipSync(bundle()), { level: 0 }), '"routes"', '"routeX"'),
    message: 'labeller.json is not the 1322 bytes its zip header declares (a lying or damaged zip).',
  },
  {
    name: 'two entries of the same name',
    file: () =>
      patch(
        edit(bundle(), (f) => (f['labeller.jsoX'] = strToU8('{}'))),
        'labeller.jsoX',
        'labeller.json',
      ),
    message: 'The zip holds labeller.json twice.',
  },
  {
    name: "an entry that climbs out of its folder ('../evil.sh')",
    file: () =>
      patch(
        edit(bundle(), (f) => (f['xx/evil.sh'] = strToU8('rm -rf'))),
        'xx/evil.sh',
        '../evil.sh',
      ),
    message: 'The zip holds an entry with a path that climbs out of its folder ("../evil.sh").',
  },
  {
    name: 'an absolute entry name',
    file: () =>
      patch(
        edit(bundle(), (f) => (f['etc/passwd'] = strToU8('x'))),
        'etc/passwd',
        '/etc/passw',
      ),
    message: 'The zip holds an entry with an absolute or odd path ("/etc/passw").',
  },
  {
    name: 'an entry named __proto__',
    file: () =>
      patch(
        edit(bundle(), (f) => (f['_________'] = strToU8('x'))),
        '_________',
        '__proto__',
      ),
    message: 'The zip holds an entry with a reserved name ("__proto__").',
  },
  {
    name: 'a __proto__ key in labeller.json',
    file: () =>
      edit(bundle(), (f) => {
        f['labeller.json'] = strToU8(
          strFromU8(f['labeller.json']!).replace('{', '{"__proto__": {"flat": true},'),
        );
      }),
    message: 'labeller.json holds the key "__proto__", which no lab file has.',
  },
  {
    name: 'labeller.json that is not JSON',
    file: () => edit(bundle(), (f) => (f['labeller.json'] = strToU8('{ nope'))),
    message: 'labeller.json is not valid JSON.',
  },
  {
    name: 'a bundle of 101 models',
    file: () =>
      edit(
        bundle(),
        editBundle((j) => (j.models = Array(101).fill(j.models[0]))),
      ),
    message: 'labeller.json: models: lists 101 models; a labeller has at most 100 (one per task).',
  },
  {
    name: 'a bundle of no models',
    file: () =>
      edit(
        bundle(),
        editBundle((j) => (j.models = [])),
      ),
    message: 'labeller.json: models: lists no models.',
  },
  {
    name: 'two models for one task',
    file: () =>
      edit(
        bundle(),
        editBundle((j) => (j.models = [j.models[0]!, j.models[0]!])),
      ),
    message: 'labeller.json: models[1]: a second model for Primary.',
  },
  {
    name: 'classes that are not a list',
    file: () =>
      edit(
        bundle(),
        editBundle((j) => (j.classes = 'Shoes')),
      ),
    message: 'labeller.json: classes: Invalid type: Expected Array but received "Shoes"',
  },
  {
    name: 'a validation accuracy of 7',
    file: () =>
      edit(
        bundle(),
        editBundle((j) => (j.models[0]!.validationAccuracy = 7)),
      ),
    message: 'labeller.json: models[0].validationAccuracy: Invalid value: Expected <=1 but received 7',
  },
  {
    name: "a model folder that climbs out ('../')",
    file: () =>
      edit(
        bundle(),
        editBundle((j) => (j.models[0]!.path = '../')),
      ),
    message: 'labeller.json: models[0].path: must be a folder models/N/',
  },
  {
    name: 'a task the label tree does not have',
    file: () =>
      edit(
        bundle(),
        editBundle((j) => (j.models[0]!.taskId = 'Bags/Hats')),
      ),
    message: 'labeller.json: models[0].taskId: the label tree has no task "Bags/Hats".',
  },
  {
    name: "outputs that are not the label tree's",
    file: () =>
      edit(
        bundle(),
        editBundle((j) => (j.models[0]!.outputs = [['A'], ['B'], ['C']])),
      ),
    message: 'Primary: its classes do not match the label tree.',
  },
  {
    name: 'a conv kernel of the wrong shape',
    file: () =>
      edit(bundle(), (f) => {
        editModel(
          (m) =>
            ((
              m as unknown as { weightsManifest: { weights: { shape: number[] }[] }[] }
            ).weightsManifest[0]!.weights[0]!.shape = [1, 1, 3, 18]),
        )(f);
      }),
    message: `${WHERE}: layer conv2d_Conv2D1 (Conv2D): its kernel is 1×1×3×18; the layer needs 3×3×3×2.`,
  },
  {
    name: 'an unknown layer class',
    file: () =>
      edit(
        bundle(),
        editModel((m) => (m.modelTopology.config.layers[1]!.class_name = 'LSTM')),
      ),
    message: `${WHERE}: model.json: modelTopology.config.layers[1].class_name: "LSTM" is a layer class the lab does not build (it builds Conv2D, MaxPooling2D, Flatten, Dense, Dropout).`,
  },
  {
    name: 'a model for 120×120 images',
    file: () =>
      edit(
        bundle(),
        editModel(
          (m) =>
            ((
              m.modelTopology.config.layers[0] as unknown as { config: { batch_input_shape: number[] } }
            ).config.batch_input_shape = [null as never, 120, 120, 3]),
        ),
      ),
    message: `${WHERE}: the model does not take 120×90×3 images.`,
  },
  {
    name: 'NaN weights',
    file: () => edit(bundle(), weightAt(5, NaN)),
    message: `${WHERE}: weights.bin: conv2d_Conv2D1/kernel holds NaN (value 6 of 54); a trained model has finite weights.`,
  },
  {
    name: 'an infinite bias',
    file: () => edit(bundle(), weightAt(54, Infinity)),
    message: `${WHERE}: weights.bin: conv2d_Conv2D1/bias holds Infinity (value 1 of 2); a trained model has finite weights.`,
  },
  {
    name: 'finite weights so large that the model gives no probabilities',
    file: () =>
      edit(
        bundle(),
        (f) =>
          (f['models/0/weights.bin'] = new Uint8Array(
            new Float32Array(f['models/0/weights.bin']!.length / 4).fill(3e38).buffer,
          )),
      ),
    message:
      'models/0/model.json (Primary) gives no finite probabilities for a grey image: its weights are broken.',
  },
  {
    name: 'a huge weight shape',
    file: () =>
      edit(
        bundle(),
        editModel(
          (m) =>
            ((
              m as unknown as { weightsManifest: { weights: { shape: number[] }[] }[] }
            ).weightsManifest[0]!.weights[0]!.shape = [1e8, 1e8, 1e8]),
        ),
      ),
    message: `${WHERE}: weight conv2d_Conv2D1/kernel declares 1.00e+24 values.`,
  },
  {
    name: 'a weight the layers do not have',
    file: () =>
      edit(
        bundle(),
        editModel(
          (m) =>
            ((
              m as unknown as { weightsManifest: { weights: { name: string }[] }[] }
            ).weightsManifest[0]!.weights[0]!.name = 'x/kernel'),
        ),
      ),
    message: `${WHERE}: weight x/kernel belongs to no layer of the model.`,
  },
  {
    name: 'a kernel the manifest leaves out (only tf.loadLayersModel sees it)',
    file: () =>
      edit(bundle(), (f) => {
        const m = json(f, 'models/0/model.json') as unknown as {
          weightsManifest: { weights: { shape: number[] }[] }[];
        };
        const ws = m.weightsManifest[0]!.weights;
        const last = ws.at(-2)!.shape.reduce((a, b) => a * b, 1);
        ws.splice(ws.length - 2, 1);
        f['models/0/model.json'] = strToU8(JSON.stringify(m));
        const w = f['models/0/weights.bin']!;
        f['models/0/weights.bin'] = Uint8Array.from([
          ...w.subarray(0, w.length - 4 * (last + 3)),
          ...w.subarray(w.length - 12),
        ]);
      }),
    message: 'models/0/model.json (Primary): TensorFlow.js cannot load it (',
  },
  {
    name: 'a model zip whose metadata names no known task',
    file: () => single({ ...singleMeta, task: { id: 'nope' } }),
    message: 'metadata.json: task.id: names a task its label tree does not have.',
  },
  {
    name: 'a model zip with a __proto__ key in its metadata',
    file: () =>
      edit(single(singleMeta), (f) => {
        f['metadata.json'] = strToU8(strFromU8(f['metadata.json']!).replace('{', '{"__proto__": 1,'));
      }),
    message: 'metadata.json holds the key "__proto__", which no lab file has.',
  },
  {
    name: 'a model zip with a class list of one',
    file: () => single({ ...singleMeta, datasetClasses: [['Shoes']] }),
    message: 'metadata.json: datasetClasses: Invalid length: Expected >=2 but received 1',
  },
  {
    name: 'a model zip with NaN weights',
    file: () =>
      edit(single(singleMeta), (f) => {
        const w = f['weights.bin']!.slice();
        new DataView(w.buffer).setFloat32(0, NaN, true);
        f['weights.bin'] = w;
      }),
    message:
      'Primary: weights.bin: conv2d_Conv2D1/kernel holds NaN (value 1 of 54); a trained model has finite weights.',
  },
];

describe('a hostile labeller or model zip is refused in words, and nothing is stored', () => {
  it('imports the untouched bundle and model zip (the cases below are what changes them)', async () => {
    const env = fakeDeps();
    env.trainers.checkModelFiles = (files, cls, backend) => predictor.checkModelFiles(files, cls, backend);
    const lab = new Lab(env.deps);
    await lab.labelling.importLabeller(new File([bundle() as BlobPart], 'good.zip'));
    await lab.labelling.importLabeller(new File([single(singleMeta) as BlobPart], 'one.zip'));
    expect(lab.getState().labelError).toBeNull();
    expect([...env.storage.labellers.values()].map((l) => l.name)).toEqual(['demo', 'Primary (one.zip)']);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const env = fakeDeps();
    env.trainers.checkModelFiles = (files, cls, backend) => predictor.checkModelFiles(files, cls, backend);
    const lab = new Lab(env.deps);
    await lab.labelling.importLabeller(new File([c.file() as BlobPart], 'hostile.zip'));
    expect(lab.getState().labelError).toContain(`hostile.zip was not imported: ${c.message}`);
    expect(lab.getState().labelError).not.toMatch(/\n\s+at /);
    expect(env.storage.labellers.size).toBe(0);
    expect(env.storage.models.size).toBe(0);
    expect(lab.getState().labellerChoice).toBe('dataset');
  });
});
