/**
 * A durable session store for tests: one file per session in a temporary directory, written
 * with v8.serialize (strings and Uint8Arrays as they are). A new store over the same directory
 * is what a restarted server finds; two stores over one directory are what two processes sharing
 * one store find.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import type { SessionRecord, SessionStore } from '../../src/server/index.js';

export function tempDir(): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-sessions-'));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function fileStore(dir: string): SessionStore & { puts: number } {
  const file = (id: string) => path.join(dir, `${Buffer.from(id).toString('hex')}.bin`);
  const store = {
    durable: true,
    puts: 0,
    async get(id: string): Promise<SessionRecord | undefined> {
      try {
        return v8.deserialize(await fs.promises.readFile(file(id))) as SessionRecord;
      } catch {
        return undefined;
      }
    },
    async put(id: string, record: SessionRecord): Promise<void> {
      store.puts++;
      await fs.promises.writeFile(file(id), v8.serialize(record));
    },
    async delete(id: string): Promise<void> {
      await fs.promises.rm(file(id), { force: true });
    },
    /** Read, compare, remove: not one atomic step as a real store's must be (Redis, SQL), enough
     * for tests whose servers do not race on one record. */
    async deleteOwned(id: string, owner: string): Promise<void> {
      if ((await store.get(id))?.owner === owner) await store.delete(id);
    },
    /** Read, compare, write: as `deleteOwned`, not atomic (enough for these tests). */
    async putOwned(id: string, record: SessionRecord, _ttlMs: number, owner: string): Promise<boolean> {
      const mark = (await store.get(id))?.owner;
      if (mark !== undefined && mark !== owner) return false;
      await store.put(id, record);
      return true;
    },
  };
  return store;
}

/** A store that loses everything it is given. */
export const forgetfulStore: SessionStore = {
  get: () => undefined,
  put: () => {},
  delete: () => {},
};
