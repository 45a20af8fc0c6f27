/**
 * The chips of the selected actor's figures row, as data: label, value and tone, in the order the
 * page shows them. Pure (no DOM), so what a panel says is testable without a browser; the detail
 * view (detail.ts) turns each into a `<span class="chip">`. A watcher's counts say how far they are
 * from its thresholds (`failures 1 / 3` while ready, `successes 2 / 3` while down), as Kubernetes'
 * probe thresholds are read.
 */
import type { Figures } from '../protocol.js';
import { duration } from './format.js';

export interface FigureChip {
  label: string;
  value: string;
  /** Extra classes after `chip`: `countdown` is the live retry countdown the page ticks. */
  tone?: 'warn' | 'bad' | 'muted' | 'countdown warn';
}

/** `n / of` when a threshold above 1 is known, else `n`. */
function countOf(n: number, of: number | undefined): string {
  return of !== undefined && of > 1 ? `${n} / ${of}` : String(n);
}

export function figureChips(f: Figures): FigureChip[] {
  const chips: FigureChip[] = [];
  if (f.retryAt) chips.push({ label: 'next retry', value: '', tone: 'countdown warn' });
  if (f.attempt !== undefined) {
    chips.push({
      label: 'attempt',
      value: f.maxAttempts ? `${f.attempt} / ${f.maxAttempts}` : String(f.attempt),
    });
  }
  if (f.nextDelayMs !== undefined && f.nextDelayMs !== null)
    chips.push({ label: 'delay', value: duration(f.nextDelayMs) });
  if (f.rttMs !== undefined) chips.push({ label: 'RTT', value: duration(f.rttMs) });
  if (f.missedPongs) chips.push({ label: 'missed pongs', value: String(f.missedPongs), tone: 'warn' });
  if (f.queue) chips.push({ label: 'queue', value: `${f.queue.messages} msg · ${f.queue.bytes} B` });
  if (f.readyCount !== undefined) chips.push({ label: 'ready', value: `${f.readyCount}×` });
  if (f.peers !== undefined) chips.push({ label: 'links', value: `${f.ready ?? 0} ready / ${f.peers}` });
  if (f.reconnectEnabled !== undefined)
    chips.push({ label: 'reconnect', value: f.reconnectEnabled ? 'on' : 'off' });
  if (f.probes !== undefined) chips.push({ label: 'probes', value: String(f.probes) });
  if (f.failures)
    chips.push({ label: 'failures', value: countOf(f.failures, f.failuresBeforeDown), tone: 'warn' });
  if (f.successes) chips.push({ label: 'successes', value: countOf(f.successes, f.successesBeforeUp) });
  if (f.failure) chips.push({ label: 'failed', value: f.failure, tone: 'bad' });
  else if (f.lastError) chips.push({ label: 'last error', value: f.lastError, tone: 'muted' });
  return chips;
}
