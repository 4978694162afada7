/**
 * Matrix products with transposed operands on WASM. The stock kernel reaches XNNPACK only without
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
import { withTemps, type Info, type KernelFn, wasmKernel, type KernelArgs } from './kernelUtil';

export function makeBatchMatMul(stock: KernelFn) {
  return function batchMatMulWasm(args: KernelArgs): Info {
    const { a, b } = args.inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const rows = (t: Info) => t.shape[t.shape.length - 2]!;
    const cols = (t: Info) => t.shape[t.shape.length - 1]!;
    const bigRight = rows(a) < cols(b) && rows(b) * cols(b) >= 1 << 20;
    if (!transposeA && !transposeB && !bigRight) return stock(args);
    const { backend } = args;
    const swap = (t: Info) => {
      const perm = t.shape.map((_, i) => i);
      const r = perm.length;
      [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
      return wasmKernel('Transpose')({ inputs: { x: t }, backend, attrs: { perm } });
    };
    return withTemps(backend, (keep) => {
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
