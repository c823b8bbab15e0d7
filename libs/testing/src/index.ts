export {};
export * from './postgres.js';
export * from './git-server.js';
export * from './git-repo.js';
