export * from './factories.ts';
export * from './warehouse-conformance.ts';
