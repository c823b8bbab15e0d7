export { Backoff, backoffDelay, jitter } from './backoff.js';
export type { BackoffPolicy, RandomSource } from './backoff.js';
export { retry } from './retry.js';
export type { RetryOptions } from './retry.js';
export { sleep } from './sleep.js';
export type { Sleep } from './sleep.js';
