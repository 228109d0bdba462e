import type { LanderLog } from './log.ts';
import type { LandedReservations } from './options.ts';

/**
 * Looks at the warehouse's lowest unlanded reservation every `intervalMs`. One that has not moved
 * since the last look, and is not being landed by this lander, may have been left by a lander that
 * died after reserving (after the scan of the lander that took over its partition): `onStall` then
 * asks for a scan, which lands it again if its partition is this lander's. Also fires when nothing
 * is open and nothing moves (an idle warehouse); that scan finds nothing and costs two offset lookups.
 */
export function watchForStalls(deps: {
  ledger: Pick<LandedReservations, 'state'>;
  inFlight: ReadonlySet<bigint>;
  intervalMs: number;
  onStall: () => void;
  log: LanderLog;
}): { stop(): void } {
  let last: bigint | undefined;
  let looking = false;
  const timer = setInterval(() => {
    if (looking) return;
    looking = true;
    deps.ledger.state().then(({ lowestUnlanded }) => {
      if (lowestUnlanded === last && !deps.inFlight.has(lowestUnlanded)) deps.onStall();
      last = lowestUnlanded;
    }, (error: unknown) => deps.log.debug({ err: error }, 'could not read the landed reservations; looking again later')).finally(() => {
      looking = false;
    });
  }, deps.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
