// Bundles the compiled data plane (dist/cli.js, from tsc) into dist/cli.js plus chunks, so an
// instance loads a few files instead of about 200 modules, without the modules nothing imports
// (zod's 50 locales, unused yaml and prom-client parts: the packages declare no side effects),
// and with whitespace and syntax minified: V8 keeps every loaded module's source text in the
// heap, so the smaller text is memory each instance saves. Identifiers are kept, so stack traces
// still name functions; the source map chains to the TypeScript (node --enable-source-maps).
// Code behind a dynamic import() (the gRPC server, instance mode's agent) goes to its own chunk
// and gRPC stays external: neither is loaded until used. Measured in scripts/bench/idle-instance-rss.mjs.
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
// Chunk names carry content hashes: clear the previous build's, which nothing would import.
rmSync(new URL('dist/chunks/', root), { recursive: true, force: true });
await build({
  absWorkingDir: root.pathname,
  entryPoints: { cli: 'dist/cli.js' },
  outdir: 'dist',
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  // Loaded on the first gRPC connection or in instance mode only; the contracts package reads
  // its .proto files next to its own dist/, so it is not bundled.
  external: ['@grpc/grpc-js', '@grpc/proto-loader', '@switchyard/contracts'],
  // CommonJS dependencies call require() for node builtins; an ES module has no require.
  banner: {
    js: "import { createRequire as __syCreateRequire } from 'node:module'; const require = __syCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync(new URL('dist/cli.js', root), 0o755);
