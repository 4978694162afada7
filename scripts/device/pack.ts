/**
 * npm run pack:device -- [--out DIR]   (default .device-pack/)
 * Builds the device pack: everything bench:gpu needs on a GPU server with no Node, npm or network, in one folder
 * under 64 MiB (the device tool's carry limit): this machine's Node binary, Dawn's dawn.node and bench:gpu bundled
 * into one ES module (each xz-compressed), torch_bench.py, Debian's Vulkan loader (and what NVIDIA's Vulkan driver
 * links to) as .deb files, and run.sh, which unpacks and runs it all (scripts/device/README.md).
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { scriptFlags } from '../args';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const { values } = scriptFlags('usage: npm run pack:device -- [--out DIR]   (default .device-pack/)', {
  out: { type: 'string', default: join(root, '.device-pack') },
});
const out = resolve(values.out);
const LIMIT = 64 * 2 ** 20;
// The Vulkan loader; then what NVIDIA's Vulkan driver links to, for images that lack it (run.sh checks).
const DEBS = [
  'libvulkan1',
  'libglvnd0',
  'libxext6',
  'libx11-6',
  'libxcb1',
  'libxau6',
  'libxdmcp6',
  'libbsd0',
  'libmd0',
];

/** The `webgpu` package loads dist/<platform>-<arch>/dawn.node beside its index.js; the bundle's lies beside it. */
const dawnBesideBundle: Plugin = {
  name: 'dawn-beside-bundle',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]webgpu[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const patched = source.replace(
        /join\(__dirname, 'dist', [^)]*'dawn\.node'\)/,
        "join(__dirname, 'dawn.node')",
      );
      if (patched === source) throw new Error(`${args.path}: no dawn.node path to patch (webgpu changed?)`);
      return { contents: patched, loader: 'js' };
    });
  },
};

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function xz(from: string, to: string) {
  execFileSync('sh', ['-c', 'xz -6 -T0 -c "$1" > "$2"', 'xz', from, to], { stdio: 'inherit' });
  console.log(`  ${to.slice(out.length + 1)}: ${mib(statSync(from).size)} -> ${mib(statSync(to).size)}`);
}

async function main() {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(
      "The pack carries this machine's Node and Dawn: build it on x86-64 Linux (as the GPU server is).",
    );
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'debs'), { recursive: true });
  const staging = join(tmpdir(), `device-pack-${process.pid}`);
  mkdirSync(staging, { recursive: true });

  console.log('bundling scripts/bench-gpu.ts...');
  const bundle = join(staging, 'bench-gpu.mjs');
  await build({
    entryPoints: [join(root, 'scripts/bench-gpu.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [dawnBesideBundle],
    // tfjs' Node builds are CommonJS and require Node's modules: give the ES module a real require.
    banner: {
      js: "import { createRequire as __packRequire } from 'node:module'; const require = __packRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });

  console.log('compressing...');
  xz(bundle, join(out, 'bench-gpu.mjs.xz'));
  xz(join(root, 'node_modules/webgpu/dist/linux-x64/dawn.node'), join(out, 'dawn.node.xz'));
  xz(process.execPath, join(out, 'node.xz'));

  console.log(`downloading ${DEBS.join(', ')} (Debian's, for the GPU server's private Vulkan loader)...`);
  const debs = join(out, 'debs');
  execFileSync('apt-get', ['-o', 'APT::Sandbox::User=root', 'download', ...DEBS], {
    cwd: debs,
    stdio: 'inherit',
  });
  // Epochs come as %3a in the names: plain names travel anywhere.
  for (const f of readdirSync(debs))
    if (f.includes('%')) renameSync(join(debs, f), join(debs, f.replace(/%3a/gi, '.')));

  copyFileSync(join(here, 'torch_bench.py'), join(out, 'torch_bench.py'));
  copyFileSync(join(here, 'run.sh'), join(out, 'run.sh'));
  const files = [
    ...readdirSync(out).filter((f) => f !== 'debs'),
    ...readdirSync(debs).map((f) => `debs/${f}`),
  ];
  const sizes = Object.fromEntries(files.map((f) => [f, statSync(join(out, f)).size]));
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  const manifest = {
    built: new Date().toISOString(),
    node: process.version,
    webgpu: JSON.parse(readFileSync(join(root, 'node_modules/webgpu/package.json'), 'utf8'))
      .version as string,
    commit: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(),
    // The bundle is the working tree as it was, committed or not.
    uncommitted: execFileSync('git', ['status', '--porcelain', '--', 'src', 'scripts'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean),
    sizes,
    total,
  };
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
  rmSync(staging, { recursive: true, force: true });
  console.log(`\n${out}: ${mib(total)} in ${files.length + 1} files`);
  if (total > LIMIT)
    throw new Error(`The pack is over 64 MiB (${mib(total)}): the device tool cannot carry it.`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
