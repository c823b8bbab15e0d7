/**
 * Setup file of every data-plane test file. Modules are shared between the files of a worker
 * (`isolate: false`), so per-file hooks of shared fixtures are registered here, not at their
 * import. Registered first, so it runs after the file's own afterAll has stopped what writes
 * into the directories.
 */
import { afterAll } from 'vitest';
import { removeTempDirs } from './sync/sync-fixtures.js';

afterAll(removeTempDirs);
