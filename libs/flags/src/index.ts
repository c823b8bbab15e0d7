export * from './errors.js';
export * from './model/schema.js';
export * from './engine/index.js';
export * from './format/index.js';
export * from './edit/restore-flag.js';
export * from './diff/index.js';
