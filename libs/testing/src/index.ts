export {};
export * from './git-server.js';
export * from './git-repo.js';
