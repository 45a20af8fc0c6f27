/**
 * Group strategies: THE home of what a group of links (`supervisor.connectGroup`) does when one of
 * its members is lost, after Erlang/OTP's supervisor strategies.
 *
 *   one-for-one   (default) only the lost member reconnects; the group is up while any member is
 *   one-for-all   every other member restarts with it; the group is up only while all members are
 *                 ready (a control and a data channel that share session state)
 *   rest-for-one  the members after the lost one (in the order given) restart with it; up while
 *                 any member is (members depend on the ones before them)
 *
 * A restart is a loss of a ready member (its socket ended by the peer, or its heartbeat): a
 * sibling restarted by the group is lost with reason kind `group` and never restarts anyone in
 * turn, so one loss costs one group restart and no more. Members that are not ready when the
 * group restarts (connecting, or waiting for a retry) are left alone: they open a fresh socket
 * anyway, and a member waiting for its backoff does not skip it. Pure: no numbers to tune, only
 * which members restart and how many must be ready.
 */

/** What a group does when a member is lost. */
export type GroupStrategy = 'one-for-one' | 'one-for-all' | 'rest-for-one';

/** Every strategy, for validation and docs. */
export const GROUP_STRATEGIES: readonly GroupStrategy[] = Object.freeze([
  'one-for-one',
  'one-for-all',
  'rest-for-one',
]);

/** Today's behaviour, and OTP's most common choice: members are independent. */
export const GROUP_STRATEGY_DEFAULT: GroupStrategy = 'one-for-one';

/**
 * The members (by index, in the order given) that restart with member `lost` of a group of `size`:
 * in member order, the lost one excluded (it reconnects through its own retry decision).
 */
export function restartTargets(strategy: GroupStrategy, size: number, lost: number): number[] {
  const out: number[] = [];
  if (strategy === 'one-for-one' || lost < 0 || lost >= size) return out;
  const first = strategy === 'one-for-all' ? 0 : lost + 1;
  for (let i = first; i < size; i++) if (i !== lost) out.push(i);
  return out;
}

/** How many members of a group of `size` must be ready for the group to be up. */
export function readyToBeUp(strategy: GroupStrategy, size: number): number {
  return strategy === 'one-for-all' ? Math.max(1, size) : 1;
}
