#!/usr/bin/env node
// The runtime tree of the cloud images (infra/docker/cloud.Dockerfile), copied out of a built
// checkout: `node infra/docker/stage-runtime.mjs <out-dir>`. It holds what the processes read at
// run time and nothing else: the root and every workspace's package.json with the lockfile (so
// `npm ci --omit=dev` in <out-dir> installs exactly the production dependencies), each workspace's
// build output (dist/, the console's .next/ without its cache), its bin/ scripts, the data files
// read at run time (libs/contracts/proto, libs/flags/schema), and the database migrations.
// Sources, tests, node_modules and build caches stay behind. Runs in the image's build stage and in
// infra/test/images.test.ts, without Docker.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Per workspace: the paths copied when they exist (relative to the workspace). */
const RUNTIME_PATHS = [
  'package.json',
  'dist',
  'bin',
  'proto',
  'schema',
  'next.config.ts',
  'public',
];
/** The console's build output, minus the build cache. */
const NEXT_DIR = '.next';

export function stageRuntime(root, out) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const file of ['package.json', 'package-lock.json'])
    cpSync(join(root, file), join(out, file));
  cpSync(join(root, 'prisma'), join(out, 'prisma'), { recursive: true });
  const workspaces = [];
  for (const pattern of pkg.workspaces) {
    if (!pattern.endsWith('/*')) throw new Error(`unsupported workspace pattern ${pattern}`);
    const parent = join(root, pattern.slice(0, -2));
    for (const name of readdirSync(parent).sort()) {
      const dir = join(parent, name);
      if (statSync(dir).isDirectory() && existsSync(join(dir, 'package.json')))
        workspaces.push(dir);
    }
  }
  for (const dir of workspaces) {
    const target = join(out, relative(root, dir));
    for (const path of RUNTIME_PATHS) {
      if (existsSync(join(dir, path)))
        cpSync(join(dir, path), join(target, path), { recursive: true });
    }
    if (existsSync(join(dir, NEXT_DIR)))
      cpSync(join(dir, NEXT_DIR), join(target, NEXT_DIR), {
        recursive: true,
        filter: (src) => relative(join(dir, NEXT_DIR), src).split('/')[0] !== 'cache',
      });
  }
  return workspaces.map((dir) => relative(root, dir));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: node infra/docker/stage-runtime.mjs <out-dir>\n');
    process.exit(2);
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const staged = stageRuntime(root, resolve(out));
  process.stdout.write(`staged ${staged.length} workspaces into ${out}\n`);
}
