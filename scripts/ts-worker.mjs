// Starts a worker thread on a TypeScript module: worker threads do not inherit tsx's loader.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
