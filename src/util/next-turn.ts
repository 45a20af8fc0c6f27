/**
 * Runs a function on a later turn of the event loop, after the I/O and timers already due:
 * `setImmediate` where it exists (Node), else a MessageChannel message (browsers: a macrotask
 * that, unlike a nested `setTimeout(0)`, is not clamped to 4 ms).
 */
type Turn = (fn: () => void) => void;

function messageChannelTurn(): Turn {
  const waiting: (() => void)[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const fn = waiting.shift();
    if (fn) fn();
  };
  return (fn) => {
    waiting.push(fn);
    channel.port2.postMessage(undefined);
  };
}

let turn: Turn | undefined;

export function nextTurn(fn: () => void): void {
  turn ??=
    typeof setImmediate === 'function'
      ? (f) => setImmediate(f)
      : typeof MessageChannel === 'function'
        ? messageChannelTurn()
        : (f) => setTimeout(f, 0);
  turn(fn);
}
