/**
 * How the lab's WebGPU filter gradient splits its work: a pure function of the convolution's shapes, so the
 * thread counts can be tested without a GPU.
 *
 *   dW[k, co] = Σ_p x[p shifted by tap k] · dy[p, co],   k = (kh, kw, ci),  p = (b, oy, ox)
 *
 * Pass 1 gives each thread 4 output channels (a vec4) of one row k and a strided run of positions p. A workgroup
 * is `lanes` × `groups` × `rows` threads, lanes fastest: consecutive threads read consecutive positions of dy
 * (all of its channels, one contiguous stretch) and of x. The lanes' sums meet in workgroup memory and each
 * workgroup writes one partial per weight for its chunk of positions; pass 2 adds the chunks' partials up.
 */
import type * as tf from '@tensorflow/tfjs';

export type FilterGradShapes = Pick<
  tf.backend_util.Conv2DInfo,
  'batchSize' | 'outHeight' | 'outWidth' | 'outChannels' | 'inChannels' | 'filterHeight' | 'filterWidth'
>;

export interface FilterGradPass {
  workgroups: [number, number, number];
  workgroupSize: number;
  threads: number;
  serialMacsPerThread: number;
}

export interface FilterGradPlan {
  /** Output channels in fours (the last may be short). */
  groups: number;
  /** Threads sharing one weight tile in a workgroup, each on its own positions. */
  lanes: number;
  /** Filter rows (kh, kw, ci) per workgroup; `rowBlocks` workgroups cover all `filterRows`. */
  rows: number;
  rowBlocks: number;
  filterRows: number;
  /** b × oy × ox. */
  positions: number;
  perThread: number;
  /** Positions per workgroup: lanes × perThread. */
  chunk: number;
  chunks: number;
  partialBytes: number;
  partials: FilterGradPass;
  /** Null when there is one chunk: pass 1 writes dW itself. */
  sum: FilterGradPass | null;
}

const MAX_WORKGROUP = 256;
const MAX_LANES = 8;
/** One full wave on a large GPU (132 SMs × 2048 threads). */
const TARGET_THREADS = 1 << 18;
const MIN_PER_THREAD = 16;
const MAX_PER_THREAD = 1024;
const MAX_PARTIAL_BYTES = 32 << 20;
export const MAX_DISPATCH = 65535;
export const SUM_WORKGROUP = 64;

/** The most output channels pass 1 covers (one workgroup holds all of them); beyond, the stock kernel runs. */
export const MAX_FILTER_GRAD_CHANNELS = 4 * MAX_WORKGROUP;

export function filterGradPlan(s: FilterGradShapes): FilterGradPlan {
  const groups = Math.ceil(s.outChannels / 4);
  if (groups > MAX_WORKGROUP) throw new Error(`filterGradPlan: ${s.outChannels} output channels is too many`);
  const lanes = Math.max(1, Math.min(MAX_LANES, Math.floor(MAX_WORKGROUP / groups)));
  const filterRows = s.filterHeight * s.filterWidth * s.inChannels;
  // Rows spread evenly over the blocks, so the last block is not mostly idle.
  const rowBlocks = Math.ceil(filterRows / Math.floor(MAX_WORKGROUP / (lanes * groups)));
  const rows = Math.ceil(filterRows / rowBlocks);
  const workgroupSize = lanes * groups * rows;
  const positions = s.batchSize * s.outHeight * s.outWidth;
  const weights = filterRows * s.outChannels;

  const wanted = Math.ceil((positions * rowBlocks * rows * groups) / TARGET_THREADS);
  let perThread = Math.min(MAX_PER_THREAD, Math.max(MIN_PER_THREAD, wanted));
  let chunks = Math.ceil(positions / (lanes * perThread));
  chunks = Math.max(1, Math.min(chunks, Math.floor(MAX_PARTIAL_BYTES / (4 * weights)), MAX_DISPATCH));
  perThread = Math.max(1, Math.ceil(positions / (lanes * chunks)));
  const chunk = lanes * perThread;
  chunks = Math.max(1, Math.ceil(positions / chunk));

  const sumGroups = Math.ceil(weights / SUM_WORKGROUP);
  return {
    groups,
    lanes,
    rows,
    rowBlocks,
    filterRows,
    positions,
    perThread,
    chunk,
    chunks,
    partialBytes: chunks > 1 ? 4 * chunks * weights : 0,
    partials: {
      workgroups: [chunks, rowBlocks, 1],
      workgroupSize,
      threads: chunks * rowBlocks * workgroupSize,
      serialMacsPerThread: 4 * perThread,
    },
    sum:
      chunks > 1
        ? {
            workgroups: [sumGroups, 1, 1],
            workgroupSize: SUM_WORKGROUP,
            threads: sumGroups * SUM_WORKGROUP,
            serialMacsPerThread: chunks,
          }
        : null,
  };
}
