import pkg from '../package.json' with { type: 'json' };

/** What wrote a snapshot, recorded in its manifest: this package's version and the Parquet writer's. */
export function codeVersion(engineVersion: string): string {
  return `@sluice/export ${pkg.version}; ${engineVersion}`;
}
