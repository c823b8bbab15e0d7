export * from './generated/prisma/client.js';
export * from './client.js';
export * from './transaction.js';
export * from './migrator.js';
export * from './paths.js';
