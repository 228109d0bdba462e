import type { ChildProcess } from 'node:child_process';
import type { LandingWarehouse } from '../src/index.ts';

/*
 * A ClickHouse warehouse reached over IPC, as a lander reaches a ClickHouse server over the
 * network: the lander runs in a child process (so a test can SIGKILL it), the chDB engine in the
 * test process (chDB binds its data directory to one process). A call the child made before it
 * was killed is still carried out by the "server" — an insert in flight outlives its client.
 */

type Method = 'append' | 'ping' | 'highestNumber' | 'record' | 'state';
interface Call { id: number; method: Method; args: unknown[] }
interface Reply { id: number; value?: unknown; error?: string }

/** Child side: a LandingWarehouse whose every call is answered by the parent. */
export function ipcWarehouse(span: number): LandingWarehouse {
  let next = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  process.on('message', (message: Reply) => {
    const waiting = pending.get(message.id);
    if (waiting === undefined) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiting.reject(new Error(message.error));
    else waiting.resolve(message.value);
  });
  const call = <T>(method: Method, ...args: unknown[]): Promise<T> => new Promise<T>((resolve, reject) => {
    const id = next++;
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    process.send!({ id, method, args } satisfies Call);
  });
  return {
    append: (batch, options) => call('append', batch, options),
    ping: () => call('ping'),
    reservations: {
      span,
      highestNumber: () => call('highestNumber'),
      record: (offsets) => call('record', offsets),
      state: () => call('state'),
    },
  };
}

type ServedWarehouse = Required<Pick<LandingWarehouse, 'ping' | 'reservations'>> & Pick<LandingWarehouse, 'append'>;

/**
 * Parent side: carries out the child's calls on `warehouse`. `before` runs ahead of each call and
 * may delay it (its promise) — the test's hook to kill the child with an insert in flight.
 */
export function serveWarehouse(child: ChildProcess, warehouse: ServedWarehouse, before: (call: Call) => Promise<void> | void = () => {}): void {
  child.on('message', (message: Call | { status: unknown }) => {
    if (!('method' in message)) return; // the child's own reports
    void (async () => {
      let reply: Reply;
      try {
        await before(message);
        reply = { id: message.id, value: await dispatch(warehouse, message) };
      } catch (error) {
        reply = { id: message.id, error: error instanceof Error ? error.message : String(error) };
      }
      if (child.connected) child.send(reply, () => undefined);
    })();
  });
}

function dispatch(warehouse: ServedWarehouse, call: Call): Promise<unknown> {
  const [a, b] = call.args;
  switch (call.method) {
    case 'append': return warehouse.append(a as Parameters<ServedWarehouse['append']>[0], b as Parameters<ServedWarehouse['append']>[1]);
    case 'ping': return warehouse.ping();
    case 'highestNumber': return warehouse.reservations.highestNumber();
    case 'record': return warehouse.reservations.record(a as bigint[]);
    case 'state': return warehouse.reservations.state();
  }
}

export type { Call as WarehouseCall };
