export { createS3BlobStore } from './s3-blob-store.ts';
export type { S3BlobStoreOptions } from './options.ts';
