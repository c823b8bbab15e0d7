import { loadConfig } from './config';

// Imported by instrumentation.ts in the Node.js runtime only: fail at boot, naming the bad variable.
try {
  loadConfig();
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
