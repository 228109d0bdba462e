export * from './pii/index.ts';
