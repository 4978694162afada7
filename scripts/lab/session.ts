/** A headless lab: the built app served on loopback, cli.html open in headless Chromium, `window.lab` to call. */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import type { PreviewServer } from 'vite';
import type { LabCliApi } from '../../src/lab/cliApi';
import { launchWithProfile, serveLab } from '../bench/harness';

/** What a call on the headless page gives back (its types come from the Lab core, src/lab/cliApi.ts). */
export type LabResult<K extends keyof LabCliApi> = Awaited<ReturnType<LabCliApi[K]>>;
export type Summary = LabResult<'ingestFolder'>;
export type TaskInfo = LabResult<'openTraining'>[number];
export type Progress = LabResult<'progress'>;
export type TaskResult = LabResult<'results'>[number];
export type ComparisonResult = LabResult<'compare'>;
export type ThreeRoutesResult = LabResult<'compareThree'>;

export class CliError extends Error {}

/** A user's mistake: one line on stderr and exit code 2 (see cli.ts). */
export const fail = (message: string): never => {
  throw new CliError(message);
};

/**
 * Chromium throttles a frame's download requests to ten a second and drops the rest without a word
 * (chromedp/chromedp#791): every task's model and the labeller came to eleven, and the eleventh never arrived.
 */
const DOWNLOAD_GAP_MS = 150;

export class Session {
  private lastDownload = 0;

  private constructor(
    private readonly server: PreviewServer,
    private readonly browser: { close(): Promise<void> },
    readonly page: Page,
    readonly pageErrors: string[],
  ) {}

  static async open(): Promise<Session> {
    const { url, server } = await serveLab(0, { rebuild: 'if-stale' });
    // A profile on disk for this run (removed at the end): an off-the-record context would keep IndexedDB, the
    // dataset and every model, in the browser's memory.
    const browser = await launchWithProfile({ acceptDownloads: true });
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}cli.html`);
    await page.waitForFunction(() => document.title.endsWith('ready'));
    return new Session(server, browser, page, errors);
  }

  /**
   * Calls `window.lab[name](...args)` in the page (src/app/cli.ts, typed by src/lab/cliApi.ts); a page-side
   * error becomes a one-line CliError.
   */
  async call<K extends keyof LabCliApi>(name: K, ...args: Parameters<LabCliApi[K]>): Promise<LabResult<K>> {
    try {
      return (await this.page.evaluate(
        ([n, a]) => {
          const lab = (window as unknown as { lab: Record<string, (...x: unknown[]) => unknown> }).lab;
          return lab[n]!(...a);
        },
        [name as string, args as unknown[]] as const,
      )) as LabResult<K>;
    } catch (e) {
      const message = ((e as Error).message ?? String(e))
        .split('\n')[0]!
        .replace(/^page\.evaluate: (Error: )?/, '');
      throw new CliError(message);
    }
  }

  /** Hands files (or one folder, for the folder input) to the page. */
  async give(input: 'folder' | 'files', paths: string[]) {
    await this.page.locator(`#${input}`).setInputFiles(paths.map((p) => resolve(p)));
  }

  /** Runs `trigger` and saves the download it causes under `dir/name`. */
  async download(dir: string, name: string, trigger: () => Promise<unknown>): Promise<string> {
    mkdirSync(dir, { recursive: true });
    const wait = this.lastDownload + DOWNLOAD_GAP_MS - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    this.lastDownload = Date.now();
    const [d] = await Promise.all([this.page.waitForEvent('download', { timeout: 600_000 }), trigger()]);
    const path = join(dir, name);
    await d.saveAs(path);
    return path;
  }

  async close() {
    await this.browser.close().catch(() => undefined);
    await new Promise<void>((r) => this.server.httpServer.close(() => r()));
  }
}

export function mustExist(path: string, what: string) {
  if (!existsSync(path)) throw new CliError(`${what} not found: ${path}`);
}
