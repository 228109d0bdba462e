import type { Lander } from './lander.ts';

/**
 * For `sluice land`: starts the lander and resolves once it has stopped gracefully after SIGINT or
 * SIGTERM (batches in hand landed and committed, group left). Rejects when start fails or the
 * lander fails on its own, so the CLI exits non-zero and a supervisor restarts it.
 */
export async function runLanderUntilSignal(lander: Lander, signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): Promise<void> {
  await lander.start();
  await new Promise<void>((resolve, reject) => {
    const onSignal = () => {
      for (const signal of signals) process.removeListener(signal, onSignal);
      lander.stop().then(resolve, reject);
    };
    for (const signal of signals) process.once(signal, onSignal);
    lander.finished().then(resolve, (error: unknown) => {
      for (const signal of signals) process.removeListener(signal, onSignal);
      reject(error);
    });
  });
}
