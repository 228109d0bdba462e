import type { Draw } from './pii-values.ts';

/** Content functions hand every personal value they write to a planter, so that the registry is complete by construction. */
export interface Planter {
  /** Records the draw as planted and returns its value for the text being written. */
  plant(draw: Draw): string;
}

/** Collects draws for one session until the events that carry them are built. */
export class PendingPlants implements Planter {
  readonly pending: Draw[] = [];

  plant(draw: Draw): string {
    if (!this.pending.some((p) => p.value === draw.value)) this.pending.push(draw);
    return draw.value;
  }
}
