/**
 * Lets a worker's event loop run between two batches: messages (Stop) get through, and so does the start of the
 * SIMD helper threads, whose scripts a busy parent worker never loads.
 */
export const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
