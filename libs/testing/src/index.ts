export {};
export * from './postgres.js';
export * from './git-server.js';
export * from './git-repo.js';
export * from './fault-proxy.js';
export * from './dns-server.js';
export * from './canary.js';
export * from './flag-fixtures.js';
export * from './ports.js';
