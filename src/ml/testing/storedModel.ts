/** A freshly built model of `spec`, as the lab stores a trained one (tfjs' layers format): for tests. */
import * as tf from '@tensorflow/tfjs';
import type { StoredModel } from '../../core/modelFiles';
import { layersOf, type ModelSpec } from '../../core/models';
import { buildModel } from '../model';

export async function storedModel(spec: ModelSpec, outputs: number, seed: number): Promise<StoredModel> {
  const model = buildModel(layersOf(spec, outputs), seed);
  let out: StoredModel | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      out = {
        modelTopology: a.modelTopology,
        weightSpecs: a.weightSpecs as StoredModel['weightSpecs'],
        weightData: a.weightData as ArrayBuffer,
        generatedBy: 'test',
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return out!;
}
