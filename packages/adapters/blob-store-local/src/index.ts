export { createLocalBlobStore, type LocalBlobStoreOptions } from './local-blob-store.ts';
