/**
 * Identity on WASM without a copy: the output shares the input's buffer and counts one more reference to it, as
 * on tfjs' CPU backend (tensors are immutable, and nothing here writes into an input). The stock kernel copies,
 * and gradients pass through Identity often: three copies of a 64×118×88×32 activation (~30 ms) per training step
 * of the small model. A Cast to the tensor's own dtype is an identity too: the ReLU gradient casts its Step to
 * float32, another copy of each activation per step.
 */
import type { Info, KernelArgs, KernelFn } from './kernelUtil';

export function makeIdentity(stock: KernelFn) {
  return function identityWasm(args: KernelArgs): Info {
    const { x } = args.inputs as { x: Info };
    if (x.dtype === 'string') return stock(args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/** Cast: to the same dtype, the input's buffer shared as by Identity; any other cast is the stock kernel's. */
export function makeCast(stock: KernelFn) {
  const identity = makeIdentity(stock);
  return function castWasm(args: KernelArgs): Info {
    const { x } = args.inputs as { x: Info };
    const { dtype } = args.attrs as unknown as { dtype: string };
    return dtype === x.dtype && dtype !== 'complex64' ? identity(args) : stock(args);
  };
}
