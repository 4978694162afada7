/**
 * Adam in one WebGPU dispatch per variable (`FusedAdam`): the variable, its gradient and both moments are read
 * once and the three results written once, where tfjs' AdamOptimizer runs about ten element-wise kernels per
 * variable and four more for its β powers. The β powers live on the CPU here, mirrored in float32 as tfjs
 * computes them. Off WebGPU this is tfjs' Adam itself; moments, names and checkpoints are tfjs' on every backend.
 *
 * The dispatch is recorded into tfjs' own command encoder and compute pass, as tfjs 4.22's
 * `WebGPUBackend.recordAndSubmit` does (its program interface binds a single output), so it runs in order with
 * tfjs' queued work and is submitted with it.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import {
  gradientsOf,
  updateEach,
  type AdamState,
  type NamedTensor,
  type VariableGradients,
} from '../fusedAdamState';

export const FUSED_ADAM = 'FusedAdam';

const WORKGROUP = 64;

/** A variable of `size` elements: four to a thread (vec4) when the size allows, one otherwise. */
export function fusedAdamWork(size: number): { threads: number; serialMacsPerThread: number } {
  const components = size % 4 === 0 ? 4 : 1;
  return { threads: size / components, serialMacsPerThread: components };
}

let dispatches = 0;

/** FusedAdam dispatches issued in this process so far. */
export const fusedAdamDispatchCount = (): number => dispatches;

/** What `FusedAdam` needs of tfjs 4.22's WebGPUBackend: public in backend_webgpu.js, private in its types. */
interface Backend extends Pick<
  WebGPUBackend,
  | 'device'
  | 'tensorMap'
  | 'uploadToGPU'
  | 'makeTensorInfo'
  | 'ensureCommandEncoderReady'
  | 'endComputePassEncoder'
  | 'submitQueue'
  | 'getQueryTime'
> {
  commandEncoder: GPUCommandEncoder | null;
  computePassEncoder: GPUComputePassEncoder | null;
  /** Data a recorded command uses: disposed before the submit, its buffer waits for it. */
  commandQueueOwnedIds: WeakSet<tf.DataId>;
  dispatchCountInPass: number;
  activeTimers?: { name: string; query: Promise<number> }[] | null;
  supportTimestampQuery: boolean;
  querySet: GPUQuerySet | null;
  querySetCount: number;
  makeUniforms(uniforms: { type: 'uint32' | 'float32'; data: number[] }[]): GPUBufferBinding;
}

// The order of operations is tfjs': m·β1 + g·(1 − β1); v·β2 + g²·(1 − β2); then
// (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε) · (−lr) + value.
const shader = (t: 'f32' | 'vec4<f32>') => `
struct Params {
  threads : u32,
  beta1 : f32,
  beta2 : f32,
  oneMinusBeta1 : f32,
  oneMinusBeta2 : f32,
  oneMinusAccBeta1 : f32,
  oneMinusAccBeta2 : f32,
  epsilon : f32,
  negLearningRate : f32,
};
@group(0) @binding(0) var<storage, read_write> newValue : array<${t}>;
@group(0) @binding(1) var<storage, read_write> newM : array<${t}>;
@group(0) @binding(2) var<storage, read_write> newV : array<${t}>;
@group(0) @binding(3) var<storage, read> value : array<${t}>;
@group(0) @binding(4) var<storage, read> m : array<${t}>;
@group(0) @binding(5) var<storage, read> v : array<${t}>;
@group(0) @binding(6) var<storage, read> grad : array<${t}>;
@group(0) @binding(7) var<uniform> p : Params;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) group : vec3<u32>, @builtin(num_workgroups) groups : vec3<u32>,
        @builtin(local_invocation_index) local : u32) {
  let i = (group.y * groups.x + group.x) * ${WORKGROUP}u + local;
  if (i >= p.threads) { return; }
  let g = grad[i];
  let m1 = m[i] * p.beta1 + g * p.oneMinusBeta1;
  let v1 = v[i] * p.beta2 + (g * g) * p.oneMinusBeta2;
  let step = (m1 / p.oneMinusAccBeta1) / (sqrt(v1 / p.oneMinusAccBeta2) + p.epsilon);
  newValue[i] = step * p.negLearningRate + value[i];
  newM[i] = m1;
  newV[i] = v1;
}`;

const pipelines = new WeakMap<GPUDevice, Map<number, GPUComputePipeline>>();

function pipelineFor(device: GPUDevice, components: number): GPUComputePipeline {
  let byWidth = pipelines.get(device);
  if (!byWidth) pipelines.set(device, (byWidth = new Map()));
  let pipeline = byWidth.get(components);
  if (!pipeline) {
    const code = shader(components === 4 ? 'vec4<f32>' : 'f32');
    pipeline = device.createComputePipeline({
      label: FUSED_ADAM,
      layout: 'auto',
      compute: { module: device.createShaderModule({ label: FUSED_ADAM, code }), entryPoint: 'main' },
    });
    byWidth.set(components, pipeline);
  }
  return pipeline;
}

/** The step's scalars, in float32 as tfjs has them on the device. */
interface StepScalars {
  beta1: number;
  beta2: number;
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
  epsilon: number;
  learningRate: number;
}

/** Records one FusedAdam dispatch; returns new tensors for the variable and its moments (no input is written). */
function recordFusedAdam(
  b: Backend,
  value: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  grad: tf.Tensor,
  s: StepScalars,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const inputs = [value, m, v, grad];
  // Uploads record copies, so they come before the compute pass is opened.
  for (const t of inputs) b.uploadToGPU(t.dataId);
  const outputs = [0, 1, 2].map(() => b.makeTensorInfo(value.shape, 'float32'));
  for (const o of outputs) b.uploadToGPU(o.dataId);
  const { threads, serialMacsPerThread } = fusedAdamWork(value.size);
  const uniforms = b.makeUniforms([
    { type: 'uint32', data: [threads] },
    ...[
      s.beta1,
      s.beta2,
      1 - s.beta1,
      1 - s.beta2,
      s.oneMinusAccBeta1,
      s.oneMinusAccBeta2,
      s.epsilon,
      -s.learningRate,
    ].map((x) => ({ type: 'float32' as const, data: [x] })),
  ]);
  const pipeline = pipelineFor(b.device, serialMacsPerThread);
  const buffers = [...outputs, ...inputs].map((t) => {
    const resource = b.tensorMap.get(t.dataId).resource;
    if (!(resource instanceof GPUBuffer)) throw new Error(`${FUSED_ADAM}: a tensor is not in a GPU buffer.`);
    return { buffer: resource };
  });
  const bindGroup = b.device.createBindGroup({
    label: FUSED_ADAM,
    layout: pipeline.getBindGroupLayout(0),
    entries: [...buffers, uniforms].map((resource, binding) => ({ binding, resource })),
  });
  for (const t of [...inputs, ...outputs]) b.commandQueueOwnedIds.add(t.dataId);

  // From here on as WebGPUBackend.recordAndSubmit, timing (tf.time) included.
  const timed = b.activeTimers != null;
  b.ensureCommandEncoderReady();
  const encoder = b.commandEncoder!;
  if (timed && b.supportTimestampQuery) {
    b.endComputePassEncoder();
    b.querySet ??= b.device.createQuerySet({ type: 'timestamp', count: b.querySetCount });
    b.computePassEncoder = encoder.beginComputePass({
      timestampWrites: { querySet: b.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 },
    });
  } else if (!b.computePassEncoder) {
    b.computePassEncoder = encoder.beginComputePass({});
  }
  const pass = b.computePassEncoder!;
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  const groups = Math.ceil(threads / WORKGROUP);
  const x = Math.min(groups, b.device.limits.maxComputeWorkgroupsPerDimension);
  pass.dispatchWorkgroups(x, Math.ceil(groups / x), 1);
  b.dispatchCountInPass++;
  dispatches++;
  if (timed || tf.env().getNumber('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') <= b.dispatchCountInPass) {
    b.endComputePassEncoder();
    if (timed) b.activeTimers!.push({ name: FUSED_ADAM, query: b.getQueryTime() });
    else b.submitQueue();
  }
  const engine = tf.engine();
  return outputs.map((o) => engine.makeTensorFromTensorInfo(o)) as [tf.Tensor, tf.Tensor, tf.Tensor];
}

/** tfjs' Adam (`tf.train.adam`), with each variable's update one FusedAdam dispatch on WebGPU. */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  /** β1^t and β2^t for the next step, in float32 as tfjs' accBeta1/accBeta2 hold them. */
  private power1: number;
  private power2: number;
  /** Fused steps leave tfjs' accBeta variables behind; they are caught up before tfjs' own step runs. */
  private accBetasBehind = false;

  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
    this.power1 = Math.fround(beta1);
    this.power2 = Math.fround(beta2);
  }

  private get state(): AdamState {
    return this as unknown as AdamState;
  }

  override applyGradients(variableGradients: VariableGradients): void {
    const { names, gradientOf } = gradientsOf(variableGradients);
    const backend = this.fusedBackend(names, gradientOf);
    if (!backend) {
      if (this.accBetasBehind) {
        tf.tidy(() => {
          this.state.accBeta1.assign(tf.scalar(this.power1));
          this.state.accBeta2.assign(tf.scalar(this.power2));
        });
        this.accBetasBehind = false;
      }
      super.applyGradients(variableGradients);
    } else {
      const scalars: StepScalars = {
        beta1: this.beta1,
        beta2: this.beta2,
        oneMinusAccBeta1: Math.fround(1 - this.power1),
        oneMinusAccBeta2: Math.fround(1 - this.power2),
        epsilon: this.epsilon,
        learningRate: this.learningRate,
      };
      updateEach(this.state, names, gradientOf, (value, m, v, gradient) =>
        recordFusedAdam(backend, value, m, v, gradient, scalars),
      );
      this.accBetasBehind = true;
      this.incrementIterations();
    }
    this.power1 = Math.fround(this.power1 * Math.fround(this.beta1));
    this.power2 = Math.fround(this.power2 * Math.fround(this.beta2));
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await super.setWeights(weightValues);
    // As tfjs' setWeights: β^(iterations + 1), on the CPU.
    this.power1 = Math.fround(Math.fround(this.beta1) ** (this.iterations + 1));
    this.power2 = Math.fround(Math.fround(this.beta2) ** (this.iterations + 1));
    this.accBetasBehind = false;
  }

  /** The WebGPU backend when this step can be fused: WebGPU, float32 throughout, compiled as it runs. */
  private fusedBackend(
    names: string[],
    gradientOf: (name: string, i: number) => tf.Tensor | undefined,
  ): Backend | null {
    if (tf.getBackend() !== 'webgpu' || tf.env().getBool('WEBGPU_ENGINE_COMPILE_ONLY')) return null;
    const backend = tf.backend() as unknown as Backend;
    const onGpuOrCpu = (t: tf.Tensor) => {
      const resource = backend.tensorMap.get(t.dataId).resource;
      return t.dtype === 'float32' && (resource == null || resource instanceof GPUBuffer);
    };
    const fusable = names.every((name, i) => {
      const value = tf.engine().registeredVariables[name];
      const gradient = gradientOf(name, i);
      return value != null && onGpuOrCpu(value) && (gradient == null || onGpuOrCpu(gradient));
    });
    return fusable ? backend : null;
  }
}

/** tfjs' Adam with its defaults (β1 0.9, β2 0.999, ε the backend's), fused on WebGPU. */
export const createAdam = (learningRate: number): FusedAdamOptimizer => new FusedAdamOptimizer(learningRate);
