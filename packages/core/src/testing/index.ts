export * from './factories.ts';
export * from './warehouse-conformance.ts';
export * from './curation-store-conformance.ts';
export * from './blob-store-conformance.ts';
