import { configDefaults, defineProject } from 'vitest/config';
import { TEST, TIMED } from './vitest.config.js';

/** The flags library's timed files, one at a time after every untimed file (see the root config). */
export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    ...TEST,
    name: 'flags/timing',
    include: TIMED,
    exclude: configDefaults.exclude,
    maxWorkers: 1,
    sequence: { groupOrder: 1 },
  },
});
