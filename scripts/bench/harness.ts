/** Shared benchmark plumbing: build + serve the lab, drive headless Chromium, sample memory. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, tmpdir, totalmem } from 'node:os';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { chromiumArgs, chromiumPath } from '../chromium';

/** Where the tools' build of the lab goes (its tool pages included: vite.config.ts, LAB_TOOLS_MODE). */
export const LAB_TOOLS_DIR = 'node_modules/.lab/dist';

/** Builds the tools' lab when it is missing or older than any source it is built from. */
export async function ensureBuilt(force = false): Promise<boolean> {
  const built = (() => {
    try {
      return statSync(join(LAB_TOOLS_DIR, 'cli.html')).mtimeMs;
    } catch {
      return 0;
    }
  })();
  const newest = (path: string): number => {
    const st = statSync(path);
    if (!st.isDirectory()) return st.mtimeMs;
    return Math.max(st.mtimeMs, ...readdirSync(path).map((n) => newest(join(path, n))));
  };
  const sources = [
    'src',
    'public',
    'index.html',
    'bench.html',
    'cli.html',
    'vite.config.ts',
    'package-lock.json',
  ];
  if (!force && built > Math.max(...sources.filter((p) => existsSync(p)).map(newest))) return false;
  // Quiet: the command line's output is its own (a build warning is not a result).
  await build({ mode: 'lab', logLevel: 'error', build: { outDir: LAB_TOOLS_DIR, emptyOutDir: true } });
  return true;
}

export async function serveLab(
  port = 4180,
  options: { rebuild?: 'always' | 'if-stale' } = {},
): Promise<{ url: string; server: PreviewServer }> {
  await ensureBuilt(options.rebuild !== 'if-stale');
  const server = await preview({
    build: { outDir: LAB_TOOLS_DIR },
    preview: { port, strictPort: port !== 0 },
    logLevel: 'warn',
  });
  const address = server.httpServer.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { url: `http://127.0.0.1:${actual}/`, server };
}

/**
 * A browser with a profile on disk, as a person's is: a plain launch's contexts are off the record, where
 * IndexedDB lives in the browser process's memory, so every stored byte would count as memory.
 */
export async function launchWithProfile(
  options: { acceptDownloads?: boolean } = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    handleSIGINT: false,
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Ctrl-C is the caller's to handle (the command line stops training cleanly, then closes the browser). */
export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, handleSIGINT: false });
}

export function machine() {
  let chromiumVersion = 'unknown';
  try {
    chromiumVersion = execFileSync(chromiumPath, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    /* reported as unknown */
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    chromium: chromiumVersion,
    chromiumArgs,
    date: new Date().toISOString(),
  };
}

/** Resident memory of a process and all its descendants, in MB (Linux). */
export function treeRssMB(rootPid: number): number {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' });
  const rows = out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number, number]);
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of rows) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const rss = new Map(rows.map(([pid, , r]) => [pid, r]));
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total / 1024;
}

/** Resident memory of everything this process started (the browser and its renderers, GPU and workers). */
export function childrenRssMB(): number {
  return treeRssMB(process.pid) - process.memoryUsage().rss / 2 ** 20;
}

/**
 * Proportional memory (PSS: a page shared by n processes counts 1/n in each, so the sum is what the machine
 * spends) of this process's descendants, by Chromium process type (browser, renderer, gpu-process, …) and in all,
 * with the all's anonymous, file-backed and shared-memory parts, in MB (Linux).
 */
export function childrenPssMB(root = process.pid, withRoot = false): Record<string, number> {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const rows = out
    .trim()
    .split('\n')
    .map((l) => {
      const [pid, ppid, ...args] = l.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), args: args.join(' ') };
    });
  const children = new Map<number, typeof rows>();
  for (const r of rows) children.set(r.ppid, [...(children.get(r.ppid) ?? []), r]);
  const mb: Record<string, number> = { all: 0, anon: 0, file: 0, shmem: 0 };
  const stack = [...(children.get(root) ?? []), ...rows.filter((r) => withRoot && r.pid === root)];
  while (stack.length) {
    const r = stack.pop()!;
    stack.push(...(children.get(r.pid) ?? []));
    let rollup: string;
    try {
      rollup = readFileSync(`/proc/${r.pid}/smaps_rollup`, 'utf8');
    } catch {
      continue; // gone, or not ours to read
    }
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
    const type = /--type=([\w-]+)/.exec(r.args)?.[1] ?? (/chrom/i.test(r.args) ? 'browser' : 'other');
    mb[type] = (mb[type] ?? 0) + kb('Pss') / 1024;
    mb.all! += kb('Pss') / 1024;
    mb.anon! += kb('Pss_Anon') / 1024;
    mb.file! += kb('Pss_File') / 1024;
    mb.shmem! += kb('Pss_Shmem') / 1024;
  }
  return mb;
}

/** Samples a value every `ms` until stopped; returns the peak. */
export function peakSampler(sample: () => number, ms = 200) {
  let peak = 0;
  const tick = () => {
    try {
      peak = Math.max(peak, sample());
    } catch {
      /* process gone */
    }
  };
  tick();
  const timer = setInterval(tick, ms);
  return () => {
    clearInterval(timer);
    tick();
    return peak;
  };
}
