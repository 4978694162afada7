/**
 * The headless lab (cli.html) that `npm run lab` drives: the page's own Lab, with no React on top, called through
 * `window.lab` (see lab/cliApi.ts). Files come in through the two inputs (Playwright sets them); downloads go out
 * the way the page's buttons send them.
 */
import { labCliApi } from '../lab/cliApi';
import { saveBlob } from '../ui/download';
import { createLab } from './createLab';

const inputFiles = (id: string) => [...((document.getElementById(id) as HTMLInputElement).files ?? [])];

(window as unknown as { lab: unknown }).lab = labCliApi(createLab(), { inputFiles, saveBlob });
document.title += ' · ready';
