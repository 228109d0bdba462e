import { SluiceError } from '@sluice/core';

/** Fully qualified, quoted table names: the only identifiers spliced into SQL, and never user input. */
export interface Tables {
  /** The quoted database, when the warehouse lives in a named one rather than the client's default. */
  database: string | undefined;
  events: string;
  quarantine: string;
  schemaMigrations: string;
  rulesets: string;
  curationRuns: string;
  samples: string;
  erasures: string;
  snapshotUsers: string;
  landedReservations: string;
  landedReservationsFloor: string;
}

// ClickHouse accepts far more in a quoted identifier; config needs no more than this, and a
// narrow pattern means the quoting below can never be escaped.
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function tablesIn(database: string | undefined): Tables {
  if (database !== undefined && !DATABASE_NAME.test(database)) {
    throw new SluiceError('SLUICE_ERR_CONFIG_INVALID', `ClickHouse database name must match ${DATABASE_NAME}: ${JSON.stringify(database)}`);
  }
  const quoted = database === undefined ? undefined : `\`${database}\``;
  const table = (name: string): string => (quoted === undefined ? `\`${name}\`` : `${quoted}.\`${name}\``);
  return {
    database: quoted, events: table('events'), quarantine: table('quarantine'), schemaMigrations: table('schema_migrations'),
    rulesets: table('rulesets'), curationRuns: table('curation_runs'), samples: table('samples'), erasures: table('erasures'),
    snapshotUsers: table('snapshot_users'), landedReservations: table('landed_reservations'),
    landedReservationsFloor: table('landed_reservations_floor'),
  };
}
