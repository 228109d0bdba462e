export * from './errors.ts';
export * from './config.ts';
export * from './local-files.ts';
export * from './events-array-slices.ts';
export type * from './events.ts';
export type * from './samples.ts';
export type * from './ports/warehouse.ts';
export type * from './ports/event-log.ts';
export * from './ports/blob-store.ts';
