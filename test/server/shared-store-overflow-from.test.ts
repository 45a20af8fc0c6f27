/**
 * Round 45 (lead): a session resumed on server B from A's record, then overflowed there, leaves
 * B's overflow note in the shared store. The note must name the write B resumed from
 * (`SessionRecord.from`), as B's session records do: when A's copy ends `moved` after reading the
 * note, A reports `dropped` only what followed that write. Before, the note had no `from`, A fell
 * back to its last write that succeeded (none: both of its writes reported failure though the
 * store made them), and reported m0 and m1 dropped though the client had both (dropped and
 * delivered). Each case over file stores (`putOwned`; B marks with a `put`) and one memory store
 * (`claimOwned`; B claims). Real `ws` servers on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import type { ResumableSession } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { unsureWrites } from './unsure-writes.js';

describe.each(['file', 'memory'] as const)("B's overflow note after A's unsure writes (%s store)", (kind) => {
  const h = useHarness();

  it('names the write B resumed from: A reports nothing the client had', async () => {
    const s = await unsureWrites(h, kind, ['applied', 'applied'], { maxMessagesB: 2 });
    await s.m0Written();
    expect(s.onA.send('m1')).toBe('sent');
    await waitFor(() => s.client.got.length === 2, { message: 'm1' });
    s.client.drop();
    await waitFor(async () => (await s.stored()).sent === 2, { message: "A's away write (made)" });
    const ownerA = (await s.stored()).owner;
    expect(await s.resumeOnB()).toMatchObject({ outcome: 'resumed' });
    await waitFor(
      async () => {
        const { owner } = await s.stored();
        return owner !== undefined && owner !== ownerA;
      },
      { message: "B's mark" },
    );
    const from = (await s.stored()).from;
    expect(from).toEqual({ owner: ownerA, version: 2 });
    // The client leaves B; B's buffer overflows (maxMessages 2): its note replaces its record.
    const onB = s.sessions[1] as ResumableSession;
    s.client.drop();
    for (const data of ['b0', 'b1', 'b2']) onB.send(data);
    await waitFor(() => s.events.includes('B overflow'), { message: "B's overflow" });
    await waitFor(async () => (await s.stored()).kind === 'overflowed', { message: "B's note" });
    expect(await s.stored()).toMatchObject({ kind: 'overflowed', from });
    await s.expireA();
    await s.aEnded();
    await sleep(50);
    expect(s.events.filter((event) => event.startsWith('A '))).toEqual(['A moved']);
    expect(s.client.got).toEqual(['m0', 'm1']);
    expect(s.errors).toEqual(['the session store failed to put Error: timeout after commit']);
  }, 20_000);
});
