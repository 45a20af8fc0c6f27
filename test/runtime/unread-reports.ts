/**
 * What a paused link reports as it ends (./pause-unread.test.ts, ./pause-late-read-observed.test.ts):
 * the numbers of the messages reported `dropped` (each must say `unread`), and the order of its
 * `dropped` (once per run of them) and `closed` events (and `failed`, for a link that can fail).
 * `deliveredAndUnread`: the numbers of the messages delivered and of those reported `unread`.
 */
import { expect } from 'vitest';
import type { Link } from '../../src/index.js';

export function unreadReports(link: Link): { unread: number[]; events: string[] } {
  const unread: number[] = [];
  const events: string[] = [];
  link.on('dropped', ({ data, reason }) => {
    expect(reason).toBe('unread');
    unread.push(Number.parseInt(String(data), 10));
    if (events.at(-1) !== 'dropped') events.push('dropped');
  });
  link.on('failed', () => events.push('failed'));
  link.on('closed', () => events.push('closed'));
  return { unread, events };
}

export function deliveredAndUnread(link: Link): { delivered: number[]; unread: number[] } {
  const delivered: number[] = [];
  link.on('message', (data) => delivered.push(Number.parseInt(String(data), 10)));
  return { delivered, unread: unreadReports(link).unread };
}
