export { createLander, type Lander, type LanderDeps, type LanderStatus } from './lander.ts';
export { runLanderUntilSignal } from './run-until-signal.ts';
export type { LanderOptions, LandingWarehouse, RetryOptions } from './options.ts';
export { createStderrLog, silentLog, type LanderLog } from './log.ts';
export { dedupTokenOf } from './land-batch.ts';
export { POISON_CODE } from './decode-records.ts';
