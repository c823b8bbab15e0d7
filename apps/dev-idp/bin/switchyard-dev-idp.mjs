#!/usr/bin/env node
// The `switchyard-dev-idp` command. npm links a workspace's bin only if the file exists when dependencies are
// installed, before anything is built; this committed launcher always exists and loads the build.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'switchyard-dev-idp: not built yet. Run `npm run build` (or `npm start`) in the repository root first.\n',
  );
  process.exit(1);
}
await import(entry.href);
