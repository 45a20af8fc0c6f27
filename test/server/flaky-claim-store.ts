/**
 * A durable, shared view of one `memoryStore()` (./shared-view.ts, with `claimOwned`) that fails
 * on cue: its `claimOwned` while `state.mode` says (`lost`: before it writes; `timeout`: after it
 * wrote, the store made it and the server hears a failure; `refused`: answers false, writing
 * nothing, whatever the record), its next `state.getFails` `get`s (Infinity: every one).
 * Its calls are recorded in `calls`.
 */
import {
  memoryStore,
  type RecordVersion,
  type SessionRecord,
  type SessionStore,
} from '../../src/server/index.js';
import { sharedView } from './shared-view.js';

export function flakyClaimStore() {
  const inner = memoryStore();
  const calls: string[] = [];
  const view = sharedView(inner, calls, {}, true, true, true);
  const state = { mode: 'ok' as 'ok' | 'lost' | 'timeout' | 'refused', getFails: 0 };
  const claim = view.claimOwned as NonNullable<SessionStore['claimOwned']>;
  const store: SessionStore = {
    ...view,
    async get(id: string) {
      if (state.getFails <= 0) return view.get(id);
      state.getFails--;
      calls.push('get');
      throw new Error(`get ${id} timed out`);
    },
    async claimOwned(
      id: string,
      record: SessionRecord,
      ttlMs: number,
      owner: string,
      expected: RecordVersion | null,
    ) {
      if (state.mode === 'lost') {
        calls.push('claimOwned');
        throw new Error('store down');
      }
      if (state.mode === 'refused') {
        calls.push('claimOwned');
        return false;
      }
      const wrote = await claim(id, record, ttlMs, owner, expected);
      if (state.mode === 'timeout') throw new Error('timed out');
      return wrote;
    },
  };
  return { inner, calls, state, store };
}
