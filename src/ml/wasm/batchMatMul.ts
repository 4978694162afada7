/**
 * Matrix products on WASM: large ones on the lab's SIMD kernel (as/kernels.ts `matmul`, the convolution's registers
 * with k blocked, on every core), the rest through XNNPACK. The stock kernel reaches XNNPACK only without
 * transposes: measured on a dense layer's step (64×35,840 by 35,840×512), A·B ran at 8 GMAC/s, Aᵀ·B at 0.27
 * and A·Bᵀ at 1.1. So every product here becomes a plain one, by the cheapest of two identities:
 * - Aᵀ·B: transpose A first (a copy).
 * - A·Bᵀ: transpose B first, or compute (B·Aᵀ)ᵀ when B has more rows than A. XNNPACK runs fastest with many rows
 *   and a small right operand, which it packs on every call: for the big model's dense layer (dy·Wᵀ, W 35,840×512)
 *   that is 95 ms against 348.
 * - Aᵀ·Bᵀ = (B·A)ᵀ: one transpose, of the result.
 * - A·B with a large B and few rows in A: (Bᵀ·Aᵀ)ᵀ. XNNPACK packs its right operand on every call, and packing
 *   a dense layer's fresh weights (35,840×512) took ~180 ms; the transposes (SIMD, see transpose.ts) take ~30.
 */
import * as tf from '@tensorflow/tfjs';
import {
  withTemps,
  type Info,
  type KernelFn,
  wasmKernel,
  type KernelArgs,
  type WasmHeapBackend,
} from './kernelUtil';
import { heapAddress, simdKernels } from './simdKernels';
import { poolParts, runPooled, splitRange } from './simdPool';

/** Floats of k per block of the SIMD product: 8 columns of b in a block are 8 KB, in L1 beside a's rows. */
const K_BLOCK = 256;

/** c = a · b for plain row-major a [m, k] and b [k, n], n a multiple of 8, by the lab's SIMD kernel on every core. */
function matmulSimd(backend: WasmHeapBackend, a: Info, b: Info, shape: number[]): Info {
  const kernels = simdKernels(backend)!;
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[b.shape.length - 1]!;
  const c = backend.makeOutput([...shape, m, n], 'float32');
  const at = (t: Info) => heapAddress(backend, t);
  // Parts of whole 16-row blocks of a (the kernel's unit), the last with the tail.
  const blocks = Math.ceil(m / 16);
  const parts = splitRange(blocks, m * n * k >= 1 << 22 ? poolParts(blocks) : 1).map(
    ([start, count], i, all) => {
      const rows = i === all.length - 1 ? m - start * 16 : count * 16;
      return [at(a) + start * 16 * k * 4, at(b), at(c) + start * 16 * n * 4, rows, n, k, K_BLOCK];
    },
  );
  if (parts.length > 1) runPooled(kernels, 'matmul', parts);
  else kernels.matmul(at(a), at(b), at(c), m, n, k, K_BLOCK);
  return c;
}

/**
 * The product on the SIMD kernel where it fits (float32, no batch, the result's or its transpose's columns in
 * eights, large enough to matter), as op(a)·op(b) or as (op(b)ᵀ·op(a)ᵀ)ᵀ, whichever transposes fewer floats; else
 * null. Dense layers: x·W directly; dy·Wᵀ as (W·dyᵀ)ᵀ (no transpose of W); xᵀ·dy with x transposed.
 */
function trySimd(args: KernelArgs, swap: (t: Info) => Info, keep: (t: Info) => Info): Info | null {
  const { a, b } = args.inputs as { a: Info; b: Info };
  const { transposeA: ta, transposeB: tb } = args.attrs as unknown as {
    transposeA: boolean;
    transposeB: boolean;
  };
  const backend = args.backend as WasmHeapBackend;
  const batch = (t: Info) => t.shape.slice(0, -2);
  if (
    a.dtype !== 'float32' ||
    b.dtype !== 'float32' ||
    a.shape.length !== b.shape.length ||
    tf.util.sizeFromShape(batch(a)) !== 1 ||
    tf.util.sizeFromShape(batch(b)) !== 1 ||
    !simdKernels(backend)
  )
    return null;
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const [m, k, n] = [ta ? ac : ar, ta ? ar : ac, tb ? br : bc];
  if (m * n * k < 1 << 20) return null;
  const [sa, sb] = [m * k, k * n];
  const direct = n % 8 === 0 ? (ta ? sa : 0) + (tb ? sb : 0) : Infinity;
  const flipped = m % 8 === 0 ? (tb ? 0 : sb) + (ta ? 0 : sa) + m * n : Infinity;
  if (direct === Infinity && flipped === Infinity) return null;
  const shape = batch(a);
  if (direct <= flipped) return matmulSimd(backend, ta ? keep(swap(a)) : a, tb ? keep(swap(b)) : b, shape);
  const ct = keep(matmulSimd(backend, tb ? b : keep(swap(b)), ta ? a : keep(swap(a)), shape));
  return swap(ct);
}

export function makeBatchMatMul(stock: KernelFn) {
  return function batchMatMulWasm(args: KernelArgs): Info {
    const { a, b } = args.inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const rows = (t: Info) => t.shape[t.shape.length - 2]!;
    const cols = (t: Info) => t.shape[t.shape.length - 1]!;
    const bigRight = rows(a) < cols(b) && rows(b) * cols(b) >= 1 << 20;
    const simdSized = rows(a) * cols(a) * (transposeB ? rows(b) : cols(b)) >= 1 << 20; // m·k·n
    if (!transposeA && !transposeB && !bigRight && !simdSized) return stock(args);
    const { backend } = args;
    const swap = (t: Info) => {
      const perm = t.shape.map((_, i) => i);
      const r = perm.length;
      [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
      return wasmKernel('Transpose')({ inputs: { x: t }, backend, attrs: { perm } });
    };
    return withTemps(backend, (keep) => {
      const simd = trySimd(args, swap, keep);
      if (simd) return simd;
      if (!transposeA && !transposeB && !bigRight) return stock(args);
      const plain = (x: Info, y: Info) =>
        stock({
          inputs: { a: x, b: y },
          backend,
          attrs: { ...args.attrs, transposeA: false, transposeB: false },
        });
      if (!transposeA && !transposeB) return swap(keep(plain(keep(swap(b)), keep(swap(a)))));
      if (transposeA && transposeB) return swap(keep(plain(b, a)));
      if (transposeA) return plain(keep(swap(a)), b);
      if (rows(b) > rows(a)) return swap(keep(plain(b, keep(swap(a)))));
      return plain(a, keep(swap(b)));
    });
  };
}
