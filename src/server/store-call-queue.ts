/**
 * The order of a resumable server's calls to its session store: each write about a session waits
 * for that session's write before it, so an async store (a pool of connections) that finishes two
 * overlapping writes in any order can never leave the older record last (a message sent while
 * the client was away lost at a restart); a hello's `get` waits for it too (a delete in flight
 * would answer with the record of a session just ended). Calls about different sessions do not
 * wait for each other; a sync store's calls run at once. A failed call is reported, never thrown.
 *
 * Owns: the last pending call of each session (forgotten once it settles). Does not own: the
 * store, or how a failure is reported (`report`, given by `resumable()`).
 */

/** A store call that may be sync or async. */
export type StoreCall = () => void | Promise<void>;

/** Runs each session's store calls in the order they are made; see the file's header. */
export class StoreCallQueue {
  /** Each session's last store call still pending: the next one for the same id waits for it. */
  private readonly pending = new Map<string, Promise<void>>();

  /** `report(what, id, error)`: a store call (`what`: put, delete) about session `id` failed. */
  constructor(private readonly report: (what: string, id: string, error: unknown) => void) {}

  /**
   * Runs `call` about session `id` after the one before it has settled; `undefined` when it ran
   * at once and synchronously. Its failure is reported, never thrown; with `failed`, the promise
   * returned rejects after the report (an ack must not follow a lost write). `quiet(error)` true:
   * not reported (a failure of the same run and kind was, or its cause was: ./session-writes.ts).
   */
  run(
    what: string,
    id: string,
    call: StoreCall,
    failed = false,
    quiet?: (error: unknown) => boolean,
  ): Promise<void> | undefined {
    const before = this.pending.get(id);
    const result = before
      ? before.then(() => this.runNow(what, id, call, failed, quiet))
      : this.runNow(what, id, call, failed, quiet);
    if (result) this.track(id, result);
    return result;
  }

  /** Runs `read` (a hello's `get`) about session `id` after the write before it has settled (a
   * delete in flight must not answer with the record it removes); at once when none is pending.
   * No call waits for a read (two hellos' reads may overlap). Its failure is the caller's to report. */
  read<T>(id: string, read: () => T | Promise<T>): Promise<T> {
    const before = this.pending.get(id);
    return before ? before.then(read) : new Promise<T>((resolve) => resolve(read()));
  }

  /** `result` is session `id`'s last call: the next one waits for it to settle. */
  private track(id: string, result: Promise<unknown>): void {
    const settled = result.then(
      () => {},
      () => {},
    );
    this.pending.set(id, settled);
    void settled.then(() => {
      if (this.pending.get(id) === settled) this.pending.delete(id);
    });
  }

  /** Settles once every call made so far (and any made meanwhile) has settled, failures reported. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending.values());
  }

  /** Runs one call now, sync or async: its failure reported unless `quiet(error)` (and, with `failed`, rethrown
   * asynchronously after the report). */
  private runNow(
    what: string,
    id: string,
    call: StoreCall,
    failed: boolean,
    quiet?: (error: unknown) => boolean,
  ): Promise<void> | undefined {
    const fail = (error: unknown) => {
      if (!quiet?.(error)) this.report(what, id, error);
      if (failed) throw error;
    };
    try {
      const result = call();
      if (result && typeof (result as Promise<void>).then === 'function') {
        return (result as Promise<void>).then(undefined, fail);
      }
    } catch (error) {
      if (failed) return Promise.resolve().then(() => fail(error));
      fail(error);
    }
    return undefined;
  }
}
