import type { HearthDb, Tx, Unlisten } from '@hearth/db';
import { sql } from 'drizzle-orm';

/** The `pg_notify` channel on which committed changes wake live subscribers in every process. */
export const REALTIME_CHANNEL = 'hearth_realtime';

/**
 * Wakes the live subscriptions of this process when something they follow changed — in this
 * process or any other connected to the same database. A wake-up carries no data: subscribers
 * read what is new from the database themselves, so a lost notification delays an event but
 * never loses it, and nothing crosses tenants through the channel but a key.
 */
export interface RealtimeHub {
  /**
   * Calls `wake` after each committed change to `key` in the tenant (see {@link notifyChange}),
   * and after the hub reconnected to the database (when notifications may have been missed).
   * Returns a function that stops following.
   */
  follow(tenantId: string, key: string, wake: () => void): Promise<() => void>;
  /** How many subscriptions this process follows, for metrics. */
  readonly size: number;
  close(): Promise<void>;
}

/**
 * Tells every follower of `key` that it changed, when (and only if) the transaction commits.
 * Call it in the transaction that makes the change.
 */
export async function notifyChange(tx: Tx, tenantId: string, key: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${REALTIME_CHANNEL}, ${realtimePayload(tenantId, key)})`);
}

/**
 * The payload of the `pg_notify` on {@link REALTIME_CHANNEL} that {@link notifyChange} sends, for
 * a statement that notifies as part of a larger write.
 */
export function realtimePayload(tenantId: string, key: string): string {
  return `${tenantId} ${key}`;
}

export function createRealtimeHub(db: HearthDb): RealtimeHub {
  const followers = new Map<string, Set<() => void>>();
  let size = 0;
  let listening: Promise<Unlisten> | undefined;

  const wakeAll = () => {
    for (const set of followers.values()) for (const wake of set) wake();
  };
  const onNotify = (payload: string) => {
    const set = followers.get(payload);
    if (set) for (const wake of set) wake();
  };

  return {
    async follow(tenantId, key, wake) {
      const id = `${tenantId} ${key}`;
      let set = followers.get(id);
      if (!set) {
        set = new Set();
        followers.set(id, set);
      }
      // A function may follow twice; each follow is stopped by its own stop().
      const entry = () => wake();
      set.add(entry);
      size++;
      listening ??= db.listen(REALTIME_CHANNEL, { onNotify, onReady: wakeAll });
      try {
        await listening;
      } catch (error) {
        listening = undefined;
        set.delete(entry);
        size--;
        throw error;
      }
      return () => {
        if (set.delete(entry)) size--;
        if (set.size === 0 && followers.get(id) === set) followers.delete(id);
      };
    },
    get size() {
      return size;
    },
    async close() {
      followers.clear();
      size = 0;
      const unlisten = await listening?.catch(() => undefined);
      listening = undefined;
      await unlisten?.().catch(() => {});
    },
  };
}

export interface LiveOptions<T> {
  hub: RealtimeHub;
  tenantId: string;
  key: string;
  /** Where the subscriber left off (`null` for "from now on", as `start` decides). */
  cursor: string | null;
  /** Reads what came after `cursor`, in order, with each item's id (the next cursor). */
  readAfter(cursor: string | null): Promise<readonly { id: string; value: T }[]>;
  signal: AbortSignal | undefined;
  /** Looks again this often even without a wake-up, as a safety net. @default 25_000 */
  pollMs?: number;
}

/**
 * Yields, in order and exactly once each, the items after `cursor` and then every item added
 * later: after each wake-up it reads from the last item it yielded. Used with tRPC's
 * `tracked(id, value)`, a client that reconnects with its last id resumes with no gap and no
 * repeat.
 */
export async function* live<T>(options: LiveOptions<T>): AsyncGenerator<{ id: string; value: T }> {
  let dirty = true;
  let wakeWaiter: (() => void) | undefined;
  const wake = () => {
    dirty = true;
    wakeWaiter?.();
  };
  const stop = await options.hub.follow(options.tenantId, options.key, wake);
  const onAbort = () => wakeWaiter?.();
  options.signal?.addEventListener('abort', onAbort);
  let cursor = options.cursor;
  try {
    while (!options.signal?.aborted) {
      if (dirty) {
        dirty = false;
        const items = await options.readAfter(cursor);
        for (const item of items) {
          cursor = item.id;
          yield item;
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, options.pollMs ?? 25_000);
        function done() {
          clearTimeout(timer);
          wakeWaiter = undefined;
          dirty = true;
          resolve();
        }
        wakeWaiter = done;
        if (dirty || options.signal?.aborted) done();
      });
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stop();
  }
}
