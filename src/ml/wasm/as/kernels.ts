// AssemblyScript, compiled by scripts/build-wasm-kernels.ts into ../kernelsWasm.ts (see there for the flags).
// These functions run on the tfjs WASM backend's own memory, which the module imports: every pointer argument is a
// byte address in that memory (a tensor's memoryOffset) and nothing here allocates, so the module has no data of
// its own to place there.

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
            s00 = f32x4.add(s00, f32x4.mul(x0, d0));
            s01 = f32x4.add(s01, f32x4.mul(x0, d1));
            const x1 = v128.load32_splat(xp + o1);
            s10 = f32x4.add(s10, f32x4.mul(x1, d0));
            s11 = f32x4.add(s11, f32x4.mul(x1, d1));
            const x2 = v128.load32_splat(xp + o2);
            s20 = f32x4.add(s20, f32x4.mul(x2, d0));
            s21 = f32x4.add(s21, f32x4.mul(x2, d1));
            const x3 = v128.load32_splat(xp + o3);
            s30 = f32x4.add(s30, f32x4.mul(x3, d0));
            s31 = f32x4.add(s31, f32x4.mul(x3, d1));
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
  memory.fill(dx, 0, (<usize>(n * h * w * c)) << 2);
  const cBytes = <usize>(c << 2);
  const rowBytes = (<usize>(w * c)) << 2;
  let g = dy;
  for (let b = 0; b < n; b++) {
    for (let py = 0; py < oh; py++) {
      const rowStart = (<usize>((b * h + (py << 1)) * w * c)) << 2;
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
