/**
 * Formatting for the inspector page: clock times, durations, and the classes that colour a
 * state by what it means (up, pending, down, over).
 */

export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The tone of a public state name: good, busy, warn, bad or off. */
export function tone(state: string): 'good' | 'busy' | 'warn' | 'bad' | 'off' {
  if (state === 'ready' || state === 'open') return 'good';
  if (state === 'connecting' || state === 'handshaking' || state === 'starting' || state === 'idle')
    return 'busy';
  if (state === 'reconnecting' || state === 'suspended' || state === 'disconnected' || state === 'closing')
    return 'warn';
  if (state === 'failed' || state === 'down') return 'bad';
  return 'off';
}

/** The last two segments of a state path, for compact display (`ready.beating`). */
export function leaf(path: string): string {
  return path.split('.').slice(-2).join('.');
}
