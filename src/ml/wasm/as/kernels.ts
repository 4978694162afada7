// AssemblyScript, compiled by scripts/build-wasm-kernels.ts into ../kernelsWasm.ts (see there for the flags).
// These functions run on the tfjs WASM backend's own memory, which the module imports: every pointer argument is a
// byte address in that memory (a tensor's memoryOffset) and nothing here allocates, so the module has no data of
// its own to place there.
//
// Built twice (scripts/build-wasm-kernels.ts): with relaxed SIMD, where `madd` is one fused multiply-add, and as
// plain SIMD128 for browsers without it (Safari), where it is a multiply and an add. The branch on
// ASC_FEATURE_RELAXED_SIMD is decided at compile time: the SIMD128 build holds no relaxed instruction.

/** a · b + c, four lanes (inlined by -O3). */
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * The filter gradient of a 2D convolution, four filter taps by eight output channels at a time in SIMD registers:
 *
 *   dw[t, c] += Σ_{b, i, j} x[b, i·sh + kh(t), j·sw + kw(t), ci(t)] · dy[b, i, j, c]
 *
 * `taps` holds each tap's byte offset from x[b, i·sh, j·sw, 0] (kh·rowBytes + kw·Ci·4 + ci·4), padded to a multiple
 * of four; `dw` has a row of `co` floats per tap, zeroed by the caller. One image row of dy at a time stays in L1
 * while every tap block passes over it: that is the blocking XNNPACK's matrix product lacks for this shape (a
 * reduction over ~150,000 pixels), where it streams its operands from memory.
 */
export function convFilterGrad(
  x: usize,
  dy: usize,
  dw: usize,
  taps: usize,
  tapBlocks: i32,
  n: i32,
  ho: i32,
  wo: i32,
  co: i32,
  xImageBytes: i32,
  xRowStepBytes: i32,
  xColStepBytes: i32,
): void {
  const coBytes = co << 2;
  const dyRowBytes = wo * coBytes;
  const coBlocks = co >> 3;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < ho; i++) {
      const xr = x + <usize>(b * xImageBytes + i * xRowStepBytes);
      const dr = dy + <usize>((b * ho + i) * dyRowBytes);
      for (let tb = 0; tb < tapBlocks; tb++) {
        const tp = taps + <usize>(tb << 4);
        const o0 = <usize>load<i32>(tp);
        const o1 = <usize>load<i32>(tp, 4);
        const o2 = <usize>load<i32>(tp, 8);
        const o3 = <usize>load<i32>(tp, 12);
        const row0 = dw + <usize>((tb << 2) * coBytes);
        for (let cb = 0; cb < coBlocks; cb++) {
          const a0 = row0 + <usize>(cb << 5);
          const a1 = a0 + <usize>coBytes;
          const a2 = a1 + <usize>coBytes;
          const a3 = a2 + <usize>coBytes;
          let s00 = v128.load(a0);
          let s01 = v128.load(a0, 16);
          let s10 = v128.load(a1);
          let s11 = v128.load(a1, 16);
          let s20 = v128.load(a2);
          let s21 = v128.load(a2, 16);
          let s30 = v128.load(a3);
          let s31 = v128.load(a3, 16);
          let xp = xr;
          let dp = dr + <usize>(cb << 5);
          for (let j = 0; j < wo; j++) {
            const d0 = v128.load(dp);
            const d1 = v128.load(dp, 16);
            const x0 = v128.load32_splat(xp + o0);
            s00 = madd(x0, d0, s00);
            s01 = madd(x0, d1, s01);
            const x1 = v128.load32_splat(xp + o1);
            s10 = madd(x1, d0, s10);
            s11 = madd(x1, d1, s11);
            const x2 = v128.load32_splat(xp + o2);
            s20 = madd(x2, d0, s20);
            s21 = madd(x2, d1, s21);
            const x3 = v128.load32_splat(xp + o3);
            s30 = madd(x3, d0, s30);
            s31 = madd(x3, d1, s31);
            xp += <usize>xColStepBytes;
            dp += <usize>coBytes;
          }
          v128.store(a0, s00);
          v128.store(a0, s01, 16);
          v128.store(a1, s10);
          v128.store(a1, s11, 16);
          v128.store(a2, s20);
          v128.store(a2, s21, 16);
          v128.store(a3, s30);
          v128.store(a3, s31, 16);
        }
      }
    }
  }
}

/** s + b, then max(·, 0) with `relu` (inlined by -O3, as madd). */
function finish(s: v128, b: v128, relu: bool): v128 {
  const r = f32x4.add(s, b);
  return relu ? f32x4.max(r, f32x4.splat(0)) : r;
}

/** Stores eight channels' sums at `p`, with the bias at `bias` (none where 0) added and ReLU applied with `relu`. */
function storeEight(p: usize, s0: v128, s1: v128, bias: usize, relu: bool): void {
  const b0 = bias ? v128.load(bias) : f32x4.splat(0);
  const b1 = bias ? v128.load(bias, 16) : f32x4.splat(0);
  v128.store(p, finish(s0, b0, relu));
  v128.store(p, finish(s1, b1, relu), 16);
}

/** convForward's loops; with `accumulate`, the products are added into y instead of replacing it. */
function convRun(
  x: usize,
  w: usize,
  y: usize,
  n: i32,
  ho: i32,
  wo: i32,
  co: i32,
  kh: i32,
  span: i32,
  xImageBytes: i32,
  xRowStepBytes: i32,
  xColStepBytes: i32,
  xRowBytes: i32,
  accumulate: bool,
  bias: usize,
  relu: bool,
): void {
  const coBytes = <usize>(co << 2);
  const coBlocks = co >> 3;
  const wRowBytes = <usize>span * coBytes;
  const colStep = <usize>xColStepBytes;
  const sixes = wo / 6;
  const quad = wo - sixes * 6 >= 4;
  const singlesFrom = sixes * 6 + (quad ? 4 : 0);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < ho; i++) {
      const xr = x + <usize>(b * xImageBytes + i * xRowStepBytes);
      const yr = y + <usize>(b * ho + i) * <usize>wo * coBytes;
      for (let cb = 0; cb < coBlocks; cb++) {
        const wc = w + <usize>(cb << 5);
        const yc = yr + <usize>(cb << 5);
        // FusedConv2D's bias and ReLU are applied as the sums are stored (matmul has neither, bias 0); the bias is
        // read there, not held in registers through the loops, which use 15 of the 16.
        const bc = bias + <usize>(cb << 5);
        // Six pixels by eight channels: 12 accumulators, 2 filter vectors and 1 input splat fill 15 of the 16
        // SIMD registers V8 gives WebAssembly on x64, for 12 multiply-adds per 8 loads (4 pixels: 8 per 6).
        for (let q = 0; q < sixes; q++) {
          const xq = xr + <usize>(q * 6) * colStep;
          const yp = yc + <usize>(q * 6) * coBytes;
          let s00 = f32x4.splat(0);
          let s01 = s00;
          let s10 = s00;
          let s11 = s00;
          let s20 = s00;
          let s21 = s00;
          let s30 = s00;
          let s31 = s00;
          let s40 = s00;
          let s41 = s00;
          let s50 = s00;
          let s51 = s00;
          if (accumulate) {
            s00 = v128.load(yp);
            s01 = v128.load(yp, 16);
            s10 = v128.load(yp + coBytes);
            s11 = v128.load(yp + coBytes, 16);
            s20 = v128.load(yp + coBytes * 2);
            s21 = v128.load(yp + coBytes * 2, 16);
            s30 = v128.load(yp + coBytes * 3);
            s31 = v128.load(yp + coBytes * 3, 16);
            s40 = v128.load(yp + coBytes * 4);
            s41 = v128.load(yp + coBytes * 4, 16);
            s50 = v128.load(yp + coBytes * 5);
            s51 = v128.load(yp + coBytes * 5, 16);
          }
          for (let r = 0; r < kh; r++) {
            let xp = xq + <usize>(r * xRowBytes);
            let wp = wc + <usize>r * wRowBytes;
            const end = xp + ((<usize>span) << 2);
            while (xp < end) {
              const w0 = v128.load(wp);
              const w1 = v128.load(wp, 16);
              const x0 = v128.load32_splat(xp);
              s00 = madd(x0, w0, s00);
              s01 = madd(x0, w1, s01);
              const x1 = v128.load32_splat(xp + colStep);
              s10 = madd(x1, w0, s10);
              s11 = madd(x1, w1, s11);
              const x2 = v128.load32_splat(xp + colStep * 2);
              s20 = madd(x2, w0, s20);
              s21 = madd(x2, w1, s21);
              const x3 = v128.load32_splat(xp + colStep * 3);
              s30 = madd(x3, w0, s30);
              s31 = madd(x3, w1, s31);
              const x4 = v128.load32_splat(xp + colStep * 4);
              s40 = madd(x4, w0, s40);
              s41 = madd(x4, w1, s41);
              const x5 = v128.load32_splat(xp + colStep * 5);
              s50 = madd(x5, w0, s50);
              s51 = madd(x5, w1, s51);
              xp += 4;
              wp += coBytes;
            }
          }
          const bb = bias ? bc : 0;
          storeEight(yp, s00, s01, bb, relu);
          storeEight(yp + coBytes, s10, s11, bb, relu);
          storeEight(yp + coBytes * 2, s20, s21, bb, relu);
          storeEight(yp + coBytes * 3, s30, s31, bb, relu);
          storeEight(yp + coBytes * 4, s40, s41, bb, relu);
          storeEight(yp + coBytes * 5, s50, s51, bb, relu);
        }
        // Four more pixels where at least four are left (a 16-row block of matmul is 6 + 6 + 4).
        if (quad) {
          const xq = xr + <usize>(sixes * 6) * colStep;
          const yp = yc + <usize>(sixes * 6) * coBytes;
          let s00 = f32x4.splat(0);
          let s01 = s00;
          let s10 = s00;
          let s11 = s00;
          let s20 = s00;
          let s21 = s00;
          let s30 = s00;
          let s31 = s00;
          if (accumulate) {
            s00 = v128.load(yp);
            s01 = v128.load(yp, 16);
            s10 = v128.load(yp + coBytes);
            s11 = v128.load(yp + coBytes, 16);
            s20 = v128.load(yp + coBytes * 2);
            s21 = v128.load(yp + coBytes * 2, 16);
            s30 = v128.load(yp + coBytes * 3);
            s31 = v128.load(yp + coBytes * 3, 16);
          }
          for (let r = 0; r < kh; r++) {
            let xp = xq + <usize>(r * xRowBytes);
            let wp = wc + <usize>r * wRowBytes;
            const end = xp + ((<usize>span) << 2);
            while (xp < end) {
              const w0 = v128.load(wp);
              const w1 = v128.load(wp, 16);
              const x0 = v128.load32_splat(xp);
              s00 = madd(x0, w0, s00);
              s01 = madd(x0, w1, s01);
              const x1 = v128.load32_splat(xp + colStep);
              s10 = madd(x1, w0, s10);
              s11 = madd(x1, w1, s11);
              const x2 = v128.load32_splat(xp + colStep * 2);
              s20 = madd(x2, w0, s20);
              s21 = madd(x2, w1, s21);
              const x3 = v128.load32_splat(xp + colStep * 3);
              s30 = madd(x3, w0, s30);
              s31 = madd(x3, w1, s31);
              xp += 4;
              wp += coBytes;
            }
          }
          const bb = bias ? bc : 0;
          storeEight(yp, s00, s01, bb, relu);
          storeEight(yp + coBytes, s10, s11, bb, relu);
          storeEight(yp + coBytes * 2, s20, s21, bb, relu);
          storeEight(yp + coBytes * 3, s30, s31, bb, relu);
        }
        for (let j = singlesFrom; j < wo; j++) {
          const yp = yc + <usize>j * coBytes;
          let s0 = accumulate ? v128.load(yp) : f32x4.splat(0);
          let s1 = accumulate ? v128.load(yp, 16) : f32x4.splat(0);
          const xj = xr + <usize>j * colStep;
          for (let r = 0; r < kh; r++) {
            let xp = xj + <usize>(r * xRowBytes);
            let wp = wc + <usize>r * wRowBytes;
            const end = xp + ((<usize>span) << 2);
            while (xp < end) {
              const x0 = v128.load32_splat(xp);
              s0 = madd(x0, v128.load(wp), s0);
              s1 = madd(x0, v128.load(wp, 16), s1);
              xp += 4;
              wp += coBytes;
            }
          }
          storeEight(yp, s0, s1, bias ? bc : 0, relu);
        }
      }
    }
  }
}

/**
 * A valid 2D convolution (NHWC; the caller pads), six output pixels by eight output channels at a time in SIMD
 * registers:
 *
 *   y[b, i, j, c] = Σ_{r, u} x[b, i·sh + r, j·sw, u] · w[r, u, c]
 *
 * where u runs over one filter row's `span` = KW·Ci taps, which lie side by side in x from column j·sw on (NHWC),
 * and w is [KH, span, Co]. For each eight channels of an output row the loop keeps that slice of w (KH·span
 * vectors pairs, ≤ 18 KB for the lab's layers) in L1 while it passes over the row. The input gradient of a stride-1
 * convolution is this kernel too, on the padded dy with the filter rotated (convInputGrad.ts).
 */
export function convForward(
  x: usize,
  w: usize,
  y: usize,
  n: i32,
  ho: i32,
  wo: i32,
  co: i32,
  kh: i32,
  span: i32,
  xImageBytes: i32,
  xRowStepBytes: i32,
  xColStepBytes: i32,
  xRowBytes: i32,
  bias: usize,
  relu: i32,
): void {
  convRun(
    x,
    w,
    y,
    n,
    ho,
    wo,
    co,
    kh,
    span,
    xImageBytes,
    xRowStepBytes,
    xColStepBytes,
    xRowBytes,
    false,
    bias,
    relu != 0,
  );
}

/**
 * A matrix product c[m, n] = a[m, k] · b[k, n] (row-major, n a multiple of 8) on the convolution's registers: rows
 * of a are its pixels and k its taps, 16 rows of a (one "image row") at a time, k in blocks of `kBlock` added into
 * c, so that a block of b's eight columns (kBlock·32 bytes) stays in L1 while the rows pass over it.
 */
export function matmul(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, kBlock: i32): void {
  const rowBytes = k << 2;
  const full = m >> 4;
  const tail = m & 15;
  for (let k0 = 0; k0 < k; k0 += kBlock) {
    const kc = min(kBlock, k - k0);
    const ak = a + ((<usize>k0) << 2);
    const bk = b + <usize>k0 * ((<usize>n) << 2);
    const acc = k0 > 0;
    if (full) convRun(ak, bk, c, 1, full, 16, n, 1, kc, 0, rowBytes << 4, rowBytes, 0, acc, 0, false);
    if (tail) {
      const at = <usize>(full << 4);
      convRun(
        ak + at * <usize>rowBytes,
        bk,
        c + at * ((<usize>n) << 2),
        1,
        1,
        tail,
        n,
        1,
        kc,
        0,
        0,
        rowBytes,
        0,
        acc,
        0,
        false,
      );
    }
  }
}

/**
 * The gradient of 2x2 max pooling with stride 2 and no padding, four channels at a time: each pooled cell's
 * gradient goes to the first maximum of its window (row by row, as TensorFlow), the rest of dx is zero.
 */
export function maxPoolGrad2x2(
  x: usize,
  dy: usize,
  dx: usize,
  n: i32,
  h: i32,
  w: i32,
  c: i32,
  oh: i32,
  ow: i32,
): void {
  const cBytes = <usize>(c << 2);
  const rowBytes = (<usize>(w * c)) << 2;
  // Every window's four cells are written below; only the cells no window covers (an odd last column or row)
  // are cleared, instead of all of dx first (one more pass over the biggest tensor of the step).
  const coveredBytes = <usize>(ow << 1) * cBytes;
  let g = dy;
  for (let b = 0; b < n; b++) {
    for (let py = 0; py < oh; py++) {
      const rowStart = (<usize>((b * h + (py << 1)) * w * c)) << 2;
      if (coveredBytes < rowBytes) {
        memory.fill(dx + rowStart + coveredBytes, 0, rowBytes - coveredBytes);
        memory.fill(dx + rowStart + rowBytes + coveredBytes, 0, rowBytes - coveredBytes);
      }
      for (let px = 0; px < ow; px++) {
        const p00 = <usize>(px << 1) * cBytes + rowStart;
        const p01 = p00 + cBytes;
        const p10 = p00 + rowBytes;
        const p11 = p10 + cBytes;
        for (let k: usize = 0; k < cBytes; k += 16) {
          const a = v128.load(x + p00 + k);
          const bb = v128.load(x + p01 + k);
          const cc = v128.load(x + p10 + k);
          const d = v128.load(x + p11 + k);
          const m = f32x4.max(f32x4.max(a, bb), f32x4.max(cc, d));
          const ga = f32x4.eq(a, m);
          const gb = v128.andnot(f32x4.eq(bb, m), ga);
          const taken = v128.or(ga, gb);
          const gc = v128.andnot(f32x4.eq(cc, m), taken);
          const gd = v128.not(v128.or(taken, gc));
          const grad = v128.load(g);
          v128.store(dx + p00 + k, v128.and(grad, ga));
          v128.store(dx + p01 + k, v128.and(grad, gb));
          v128.store(dx + p10 + k, v128.and(grad, gc));
          v128.store(dx + p11 + k, v128.and(grad, gd));
          g += 16;
        }
      }
    }
    if (oh << 1 < h) {
      const below = (<usize>((b * h + (oh << 1)) * w * c)) << 2;
      memory.fill(dx + below, 0, <usize>(h - (oh << 1)) * rowBytes);
    }
  }
}

/**
 * 2x2 max pooling, stride 2, no padding, NHWC, c a multiple of four: y[b, py, px, :] is the maximum of the window at
 * (2py, 2px), four channels at a time. `oh` and `ow` are at most h / 2 and w / 2 (an odd last row or column is
 * left out, as with 'valid' padding).
 */
export function maxPool2x2(x: usize, y: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32): void {
  const cBytes = <usize>(c << 2);
  const rowBytes = (<usize>(w * c)) << 2;
  let out = y;
  for (let b = 0; b < n; b++) {
    for (let py = 0; py < oh; py++) {
      const rowStart = x + ((<usize>((b * h + (py << 1)) * w * c)) << 2);
      for (let px = 0; px < ow; px++) {
        const p00 = <usize>(px << 1) * cBytes + rowStart;
        const p10 = p00 + rowBytes;
        for (let k: usize = 0; k < cBytes; k += 16) {
          const top = f32x4.max(v128.load(p00 + k), v128.load(p00 + cBytes + k));
          const bottom = f32x4.max(v128.load(p10 + k), v128.load(p10 + cBytes + k));
          v128.store(out, f32x4.max(top, bottom));
          out += 16;
        }
      }
    }
  }
}

/**
 * Element-wise ops of a training step, `n` floats (op 4: `n` rows of `c` floats, c a multiple of four):
 * 0 ReLU max(a, 0); 1 Step (a > 0 ? 1 : alpha, NaN kept); 2 a · b; 3 a + b; 4 a + b with b one row (a bias).
 */
export function elementwise(op: i32, a: usize, b: usize, y: usize, n: i32, c: i32, alphaBits: i32): void {
  if (op === 4) {
    const rowBytes = <usize>(c << 2);
    let src = a;
    let out = y;
    for (let r = 0; r < n; r++) {
      for (let k: usize = 0; k < rowBytes; k += 16)
        v128.store(out + k, f32x4.add(v128.load(src + k), v128.load(b + k)));
      src += rowBytes;
      out += rowBytes;
    }
    return;
  }
  const alpha = reinterpret<f32>(alphaBits);
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const alphas = f32x4.splat(alpha);
  const vecBytes = (<usize>(n >> 2)) << 4;
  for (let k: usize = 0; k < vecBytes; k += 16) {
    const x = v128.load(a + k);
    let r: v128;
    if (op === 0) r = f32x4.max(x, zero);
    else if (op === 1) r = v128.bitselect(x, v128.bitselect(one, alphas, f32x4.gt(x, zero)), f32x4.ne(x, x));
    else if (op === 2) r = f32x4.mul(x, v128.load(b + k));
    else r = f32x4.add(x, v128.load(b + k));
    v128.store(y + k, r);
  }
  for (let k = vecBytes; k < (<usize>n) << 2; k += 4) {
    const x = load<f32>(a + k);
    let r: f32;
    if (op === 0) r = x < 0 ? 0 : x;
    else if (op === 1) r = x !== x ? x : x > 0 ? 1 : alpha;
    else if (op === 2) r = x * load<f32>(b + k);
    else r = x + load<f32>(b + k);
    store<f32>(y + k, r);
  }
}

/**
 * A conv layer's ReLU and bias gradients in one pass over `rows` rows of `c` floats (c a multiple of four):
 * dx = dy where the ReLU's output y is > 0, else 0 (y's NaN kept), i.e. tfjs' dy · step(y), and `sums` = dx summed
 * over its rows, as sumRows sums (blocks of 512 rows in float32, in `acc32`, c floats of scratch, then added into
 * float64 totals in `acc64`, c doubles): tfjs reads dx again for the bias gradient, after a Step and a Multiply.
 */
export function reluBiasGrad(
  dy: usize,
  y: usize,
  dx: usize,
  sums: usize,
  acc32: usize,
  acc64: usize,
  rows: i32,
  c: i32,
): void {
  const rowBytes = <usize>(c << 2);
  const zero = f32x4.splat(0);
  memory.fill(acc64, 0, <usize>(c << 3));
  let off: usize = 0;
  for (let r0 = 0; r0 < rows; r0 += 512) {
    const r1 = min(rows, r0 + 512);
    memory.fill(acc32, 0, rowBytes);
    for (let r = r0; r < r1; r++) {
      for (let k: usize = 0; k < rowBytes; k += 16) {
        const out = v128.load(y + off + k);
        const g = v128.bitselect(
          out,
          v128.and(v128.load(dy + off + k), f32x4.gt(out, zero)),
          f32x4.ne(out, out),
        );
        v128.store(dx + off + k, g);
        v128.store(acc32 + k, f32x4.add(v128.load(acc32 + k), g));
      }
      off += rowBytes;
    }
    for (let k: usize = 0; k < rowBytes; k += 16) {
      const s = v128.load(acc32 + k);
      const a = acc64 + (k << 1);
      v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(s)));
      v128.store(
        a,
        f64x2.add(v128.load(a, 16), f64x2.promote_low_f32x4(i32x4.shuffle(s, s, 2, 3, 0, 1))),
        16,
      );
    }
  }
  for (let k: usize = 0; k < rowBytes; k += 8) {
    const d = v128.load(acc64 + (k << 1));
    store<f32>(sums + k, <f32>f64x2.extract_lane(d, 0));
    store<f32>(sums + k, <f32>f64x2.extract_lane(d, 1), 4);
  }
}

/**
 * Sums `outer` rows of `inner` floats (inner a multiple of four) into `dst`: a conv layer's bias gradient, dy summed
 * over batch, height and width. Blocks of 512 rows are summed in float32 SIMD registers, then added into float64
 * totals in `acc64` (inner doubles, scratch), so the error does not grow with the ~350,000 rows of a batch.
 */
export function sumRows(src: usize, dst: usize, acc64: usize, outer: i32, inner: i32): void {
  const rowBytes = <usize>(inner << 2);
  memory.fill(acc64, 0, <usize>(inner << 3));
  for (let r0 = 0; r0 < outer; r0 += 512) {
    const r1 = min(outer, r0 + 512);
    for (let k = 0; k < inner; k += 4) {
      let s = f32x4.splat(0);
      let p = src + <usize>r0 * rowBytes + ((<usize>k) << 2);
      for (let r = r0; r < r1; r++) {
        s = f32x4.add(s, v128.load(p));
        p += rowBytes;
      }
      const a = acc64 + ((<usize>k) << 3);
      v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(s)));
      v128.store(
        a,
        f64x2.add(v128.load(a, 16), f64x2.promote_low_f32x4(i32x4.shuffle(s, s, 2, 3, 0, 1))),
        16,
      );
    }
  }
  for (let k = 0; k < inner; k += 2) {
    const d = v128.load(acc64 + ((<usize>k) << 3));
    store<f32>(dst + ((<usize>k) << 2), <f32>f64x2.extract_lane(d, 0));
    store<f32>(dst + ((<usize>k) << 2), <f32>f64x2.extract_lane(d, 1), 4);
  }
}

/**
 * Transposes `batch` matrices of rows × cols floats (both multiples of four) into cols × rows, 4x4 tiles at a time in
 * SIMD registers. tfjs' own Transpose moves one float at a time: 149 ms for the big model's 35,840 × 512 weights.
 */
export function transpose2d(src: usize, dst: usize, batch: i32, rows: i32, cols: i32): void {
  const rowBytes = <usize>(cols << 2);
  const colBytes = <usize>(rows << 2);
  const matrixBytes = (<usize>(rows * cols)) << 2;
  for (let m = 0; m < batch; m++) {
    const s = src + <usize>m * matrixBytes;
    const d = dst + <usize>m * matrixBytes;
    for (let r = 0; r < rows; r += 4) {
      const s0 = s + <usize>r * rowBytes;
      const d0 = d + ((<usize>r) << 2);
      for (let c = 0; c < cols; c += 4) {
        const p = s0 + ((<usize>c) << 2);
        const r0 = v128.load(p);
        const r1 = v128.load(p + rowBytes);
        const r2 = v128.load(p + rowBytes * 2);
        const r3 = v128.load(p + rowBytes * 3);
        const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
        const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
        const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
        const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
        const q = d0 + <usize>c * colBytes;
        v128.store(q, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
        v128.store(q + colBytes, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
        v128.store(q + colBytes * 2, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
        v128.store(q + colBytes * 3, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
      }
    }
  }
}

/**
 * One Adam step over `count` floats of a variable, in one pass: reads the value, both moments and the gradient
 * once and writes the three results once (tfjs' AdamOptimizer streams them through ten element-wise kernels).
 * The order of operations and the float32 rounding of every step are tfjs':
 *   m1 = m·β1 + g·(1 − β1);  v1 = v·β2 + g²·(1 − β2)
 *   value1 = ((m1 / (1 − β1^t)) / (sqrt(v1 / (1 − β2^t)) + ε)) · (−lr) + value
 * so no multiply-add is fused here, in either build. `params` holds eight floats: β1, β2, 1 − β1, 1 − β2,
 * 1 − β1^t, 1 − β2^t, ε, −lr.
 */
export function adamStep(
  value: usize,
  m: usize,
  v: usize,
  g: usize,
  newValue: usize,
  newM: usize,
  newV: usize,
  count: i32,
  params: usize,
): void {
  const b1 = load<f32>(params);
  const b2 = load<f32>(params, 4);
  const c1 = load<f32>(params, 8);
  const c2 = load<f32>(params, 12);
  const a1 = load<f32>(params, 16);
  const a2 = load<f32>(params, 20);
  const eps = load<f32>(params, 24);
  const nlr = load<f32>(params, 28);
  const vb1 = f32x4.splat(b1);
  const vb2 = f32x4.splat(b2);
  const vc1 = f32x4.splat(c1);
  const vc2 = f32x4.splat(c2);
  const va1 = f32x4.splat(a1);
  const va2 = f32x4.splat(a2);
  const veps = f32x4.splat(eps);
  const vnlr = f32x4.splat(nlr);
  const end = (<usize>(count & ~3)) << 2;
  for (let k: usize = 0; k < end; k += 16) {
    const gk = v128.load(g + k);
    const m1 = f32x4.add(f32x4.mul(v128.load(m + k), vb1), f32x4.mul(gk, vc1));
    const v1 = f32x4.add(f32x4.mul(v128.load(v + k), vb2), f32x4.mul(f32x4.mul(gk, gk), vc2));
    const step = f32x4.div(f32x4.div(m1, va1), f32x4.add(f32x4.sqrt(f32x4.div(v1, va2)), veps));
    v128.store(newValue + k, f32x4.add(f32x4.mul(step, vnlr), v128.load(value + k)));
    v128.store(newM + k, m1);
    v128.store(newV + k, v1);
  }
  for (let k: usize = end; k < (<usize>count) << 2; k += 4) {
    const gk = load<f32>(g + k);
    const m1 = load<f32>(m + k) * b1 + gk * c1;
    const v1 = load<f32>(v + k) * b2 + gk * gk * c2;
    const step = m1 / a1 / (sqrt<f32>(v1 / a2) + eps);
    store<f32>(newValue + k, step * nlr + load<f32>(value + k));
    store<f32>(newM + k, m1);
    store<f32>(newV + k, v1);
  }
}
