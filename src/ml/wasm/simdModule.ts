/**
 * The lab's SIMD kernels (as/kernels.ts) as a WebAssembly module on a given memory: tfjs' single-threaded build has
 * plain memory, its threaded build shared memory, and each needs the module compiled for it. Each comes in two
 * builds: relaxed SIMD (fused multiply-add) where the browser validates it, plain SIMD128 where it does not
 * (Safari: a module holding one relaxed instruction fails validation as a whole, so it is a second module).
 */
import { KERNELS_PLAIN, KERNELS_PLAIN_RELAXED, KERNELS_SHARED, KERNELS_SHARED_RELAXED } from './kernelsWasm';

export type SimdBuild = 'relaxed' | 'simd128';

export interface SimdKernels {
  convFilterGrad(
    x: number,
    dy: number,
    dw: number,
    taps: number,
    tapBlocks: number,
    n: number,
    ho: number,
    wo: number,
    co: number,
    xImageBytes: number,
    xRowStepBytes: number,
    xColStepBytes: number,
  ): void;
  convForward(
    x: number,
    w: number,
    y: number,
    n: number,
    ho: number,
    wo: number,
    co: number,
    kh: number,
    span: number,
    xImageBytes: number,
    xRowStepBytes: number,
    xColStepBytes: number,
    xRowBytes: number,
    bias: number,
    relu: number,
  ): void;
  matmul(a: number, b: number, c: number, m: number, n: number, k: number, kBlock: number): void;
  adamStep(
    value: number,
    m: number,
    v: number,
    g: number,
    newValue: number,
    newM: number,
    newV: number,
    count: number,
    params: number,
  ): void;
  transpose2d(src: number, dst: number, batch: number, rows: number, cols: number): void;
  sumRows(src: number, dst: number, acc64: number, outer: number, inner: number): void;
  reluBiasGrad(
    dy: number,
    y: number,
    dx: number,
    sums: number,
    acc32: number,
    acc64: number,
    rows: number,
    c: number,
  ): void;
  elementwise(op: number, a: number, b: number, y: number, n: number, c: number, alphaBits: number): void;
  maxPool2x2(x: number, y: number, n: number, h: number, w: number, c: number, oh: number, ow: number): void;
  maxPoolGrad2x2(
    x: number,
    dy: number,
    dx: number,
    n: number,
    h: number,
    w: number,
    c: number,
    oh: number,
    ow: number,
  ): void;
}

const BINARIES: Record<SimdBuild, { plain: string; shared: string }> = {
  relaxed: { plain: KERNELS_PLAIN_RELAXED, shared: KERNELS_SHARED_RELAXED },
  simd128: { plain: KERNELS_PLAIN, shared: KERNELS_SHARED },
};

const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

export const isShared = (memory: WebAssembly.Memory) =>
  typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;

let relaxedValid: boolean | null = null;

/** Whether this engine validates the relaxed build (the module itself is the feature test). */
export function hasRelaxedSimd(): boolean {
  relaxedValid ??= WebAssembly.validate(bytesOf(KERNELS_PLAIN_RELAXED));
  return relaxedValid;
}

/**
 * The switch on this thread's global: `labSimd = { force: 'simd128' }` set before the WASM backend starts makes the
 * lab run the SIMD128 build where relaxed SIMD is there (the e2e test of Safari-class browsers sets it through
 * Playwright's worker handle, as bench:vs-pytorch --simd128 does); `used` says which build the kernels run.
 */
interface SimdSwitch {
  force?: SimdBuild;
  used?: SimdBuild;
}
const simdSwitch = (): SimdSwitch => ((globalThis as { labSimd?: SimdSwitch }).labSimd ??= {});

let chosen: SimdBuild | null = null;

/** The build the kernels use on this thread: forced, or relaxed SIMD where valid, else SIMD128. */
export function simdBuild(): SimdBuild {
  const force = simdSwitch().force;
  const build: SimdBuild =
    chosen ?? (force === 'simd128' || force === 'relaxed' ? force : hasRelaxedSimd() ? 'relaxed' : 'simd128');
  simdSwitch().used = build;
  return build;
}

/** Sets the build for kernels instantiated from now on (null: back to the switch and feature detection). */
export function setSimdBuild(build: SimdBuild | null): void {
  if (build === 'relaxed' && !hasRelaxedSimd()) throw new Error('this engine has no relaxed SIMD');
  chosen = build;
}

const builds = new WeakMap<SimdKernels, SimdBuild>();

/** The build an instance was made from (helper threads run the caller's). */
export const buildOf = (kernels: SimdKernels): SimdBuild => builds.get(kernels) ?? 'simd128';

/** The kernels on a memory (the module compiled for plain or shared memory); throws where they cannot run. */
export function instantiateKernels(memory: WebAssembly.Memory, build = simdBuild()): SimdKernels {
  const binary = BINARIES[build][isShared(memory) ? 'shared' : 'plain'];
  // 3 KB: small enough to compile synchronously anywhere, the main thread included.
  const kernels = new WebAssembly.Instance(new WebAssembly.Module(bytesOf(binary)), { env: { memory } })
    .exports as unknown as SimdKernels;
  builds.set(kernels, build);
  return kernels;
}
