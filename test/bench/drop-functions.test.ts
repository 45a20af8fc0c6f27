/**
 * bench/profile-drop.ts `--functions N` (bench/drop-functions.ts): a script's part as the drop's
 * CPU profile attributes it (profile-drop.ts): linkvisor's charts and policies (machines/) are
 * ours, not node's. Pure: no drop runs here.
 */
import { describe, expect, it } from 'vitest';
import { partOf } from '../../bench/drop-functions.js';

describe('partOf (a drop function by part)', () => {
  it('counts machines/, src/ and the compiled bench as ours, xstate, ws and the rest apart', () => {
    expect(partOf('file:///w/lv/machines/policy/close-reason.ts')).toBe('linkvisor and the bench');
    expect(partOf('file:///w/lv/machines/connection.machine.ts')).toBe('linkvisor and the bench');
    expect(partOf('file:///w/lv/src/runtime/link.ts')).toBe('linkvisor and the bench');
    expect(partOf('file:///w/lv/compiled-bench/src/runtime/link.js')).toBe('linkvisor and the bench');
    expect(partOf('file:///w/lv/node_modules/xstate/dist/raise-effbee0c.esm.js')).toBe('xstate');
    expect(partOf('file:///w/lv/node_modules/ws/lib/websocket.js')).toBe('ws');
    expect(partOf('node:events')).toBe('node');
  });
});
