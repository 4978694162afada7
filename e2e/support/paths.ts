import { join } from 'node:path';

export const dataDir = (name: string) => join(process.cwd(), '.e2e-data', name);
