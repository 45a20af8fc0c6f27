/**
 * memoryStore() under churn, for an A/B of its sweep (bench/tree-ab.ts): `held` records of one
 * TTL kept at all times (sessions away), each put replacing the oldest one's id as the clock
 * advances, and a get of each. One TTL, as one server writes: what every server pays.
 *
 *   node --import tsx bench/tree-ab.ts node_modules/.cache/i37base memory-store-churn.ts -- 10000 400000
 */
import { memoryStore } from '../src/server/session-store.js';

const [held = 10_000, puts = 400_000] = process.argv.slice(2).map(Number);
let nowMs = 0;
const clock = { now: () => nowMs, setTimeout: () => 0, clearTimeout: () => {} };
const store = memoryStore({ clock });
const record = { kind: 'overflowed' as const, owner: 'a' };
const ttlMs = held; // one record per ms: `held` live at a time
for (let i = 0; i < held; i++, nowMs++) store.put(`s${i}`, record, ttlMs);
const start = process.hrtime.bigint();
let found = 0;
for (let i = held; i < held + puts; i++, nowMs++) {
  store.put(`s${i}`, record, ttlMs);
  if (store.get(`s${i - (held >> 1)}`)) found++;
}
const ns = Number(process.hrtime.bigint() - start);
process.send?.({ type: 'result', nsPerPut: Math.round(ns / puts), size: store.size, found });
// Held until tree-ab says stop (it sends `stop` to a child still running).
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stop') process.exit(0);
});
