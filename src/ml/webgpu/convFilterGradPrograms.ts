/**
 * The WGSL of the lab's WebGPU filter gradient (the split of the work is convFilterGradPlan.ts): pass 1 sums a
 * chunk of positions per workgroup into partials [chunks, kh·kw·ci, co], pass 2 adds the chunks up into dW. tfjs
 * writes the shader's header (bindings, the uniforms struct, `localIndex`, `workgroupId`) and calls `main`.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { webgpu_util } from '@tensorflow/tfjs-backend-webgpu';
import { SUM_WORKGROUP, type FilterGradPlan } from './convFilterGradPlan';

/** Uniforms: padding (top, left), strides, filter width, b·oy·ox positions, positions per workgroup, filter rows. */
export class Conv2DFilterGradPartialsProgram implements WebGPUProgram {
  variableNames = ['x', 'dy'];
  variableComponents: number[];
  uniforms =
    'pads : vec2<i32>, strides : vec2<i32>, filterWidth : i32, positions : i32, chunk : i32, filterRows : i32,';
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0], y: [1], z: [2] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  serialMacsPerThread: number;
  private readonly vec4Dy: boolean;

  /** `outputShape`: [chunks, filter rows, co], or the filter's shape when one chunk writes dW itself. */
  constructor(
    private readonly plan: FilterGradPlan,
    outChannels: number,
    private readonly padded: boolean,
    outputShape: number[],
  ) {
    this.vec4Dy = outChannels % 4 === 0;
    this.variableComponents = [1, this.vec4Dy ? 4 : 1];
    this.outputShape = outputShape;
    this.dispatch = plan.partials.workgroups;
    this.workgroupSize = [plan.partials.workgroupSize, 1, 1];
    this.serialMacsPerThread = plan.partials.serialMacsPerThread;
    const { lanes, groups, rows } = plan;
    this.shaderKey = `labConv2DFilterGradPartials_${lanes}_${groups}_${rows}_${this.vec4Dy}_${padded}`;
  }

  getUserCode(): string {
    const { lanes, groups, rows } = this.plan;
    const read = this.vec4Dy
      ? `return dy[p * ${groups} + g];`
      : `let co = uniforms.dyShape.w;
        let at = p * co + g * 4;
        var v = vec4<f32>(dy[at], 0.0, 0.0, 0.0);
        if (g * 4 + 1 < co) { v.y = dy[at + 1]; }
        if (g * 4 + 2 < co) { v.z = dy[at + 2]; }
        if (g * 4 + 3 < co) { v.w = dy[at + 3]; }
        return v;`;
    const inside = this.padded ? 'iy >= 0 && iy < inH && ix >= 0 && ix < inW' : 'true';
    return `
      var<workgroup> sums : array<vec4<f32>, ${this.workgroupSize[0]}>;

      fn readDy(p : i32, g : i32) -> vec4<f32> {
        ${read}
      }

      fn main() {
        let t = i32(localIndex);
        let lane = t % ${lanes};
        let g = (t / ${lanes}) % ${groups};
        let k = i32(workgroupId.y) * ${rows} + t / ${lanes * groups};
        let start = i32(workgroupId.x) * uniforms.chunk;
        var acc = vec4<f32>(0.0);
        if (k < uniforms.filterRows) {
          let ci = uniforms.xShape.w;
          let inH = uniforms.xShape.y;
          let inW = uniforms.xShape.z;
          let outH = uniforms.dyShape.y;
          let outW = uniforms.dyShape.z;
          let c = k % ci;
          let kx = (k / ci) % uniforms.filterWidth;
          let ky = k / (ci * uniforms.filterWidth);
          let colStep = uniforms.strides.y * ci;
          let end = min(start + uniforms.chunk, uniforms.positions);
          var p = start + lane;
          var ox = p % outW;
          var oy = (p / outW) % outH;
          var b = p / (outW * outH);
          var iy = oy * uniforms.strides.x + ky - uniforms.pads.x;
          // x at (b, iy, kx − padLeft, c); each position adds ox·strideW·ci.
          var row = ((b * inH + iy) * inW + kx - uniforms.pads.y) * ci + c;
          for (; p < end; p += ${lanes}) {
            let ix = ox * uniforms.strides.y + kx - uniforms.pads.y;
            if (${inside}) {
              acc += x[row + ox * colStep] * readDy(p, g);
            }
            ox += ${lanes};
            while (ox >= outW) {
              ox -= outW;
              oy += 1;
              if (oy == outH) {
                oy = 0;
                b += 1;
              }
              iy = oy * uniforms.strides.x + ky - uniforms.pads.x;
              row = ((b * inH + iy) * inW + kx - uniforms.pads.y) * ci + c;
            }
          }
        }
        sums[t] = acc;
        workgroupBarrier();
        if (lane == 0 && k < uniforms.filterRows) {
          var s = acc;
          for (var l = 1; l < ${lanes}; l++) {
            s += sums[t + l];
          }
          let co = uniforms.dyShape.w;
          let at = (i32(workgroupId.x) * uniforms.filterRows + k) * co + g * 4;
          result[at] = s.x;
          if (g * 4 + 1 < co) { result[at + 1] = s.y; }
          if (g * 4 + 2 < co) { result[at + 2] = s.z; }
          if (g * 4 + 3 < co) { result[at + 3] = s.w; }
        }
      }
    `;
  }
}

/** dW[i] = Σ_c partials[c, i]; consecutive threads read consecutive weights. Uniform: the chunk count. */
export class Conv2DFilterGradSumProgram implements WebGPUProgram {
  variableNames = ['partials'];
  uniforms = 'chunks : i32,';
  size = true;
  outputShape: number[];
  shaderKey = 'labConv2DFilterGradSum';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [SUM_WORKGROUP, 1, 1];
  serialMacsPerThread: number;

  constructor(filterShape: number[], chunks: number) {
    this.outputShape = filterShape;
    this.dispatchLayout = webgpu_util.flatDispatchLayout(filterShape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, filterShape, this.workgroupSize);
    this.serialMacsPerThread = chunks;
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          var s = 0.0;
          for (var c = 0; c < uniforms.chunks; c++) {
            s += partials[c * uniforms.size + index];
          }
          setOutputAtIndex(index, s);
        }
      }
    `;
  }
}
