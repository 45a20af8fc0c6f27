/**
 * The ids of a supervisor's links: `link:<n>` for `connect()` without an id (the next number no
 * live link has), `link:<id>` with one, `link:<id>/<n>` for the members of a group `<id>`
 * (`connectGroup`). An id a live link or a group has throws LV_ERR_DUPLICATE_ID (option `id`).
 */
import { groupOf } from '../../machines/socket-counts.js';
import { LinkvisorError } from '../util/errors.js';

/** The supervisor's link counter (the number of the last link it made), which `connectLinkId` moves on. */
export interface LinkCounter {
  counter: number;
}

/**
 * The id of the link `connect()` makes with option `id` (or none); automatic ids count on from
 * `owner.counter`, skipping the ones taken by explicit ids (`{ id: '2' }` is link:2 too), and move
 * the counter past those skipped (no pair returned: a loop of connect() allocates no array a call).
 * Throws when an explicit id is taken by a link or a group.
 */
export function connectLinkId(
  id: string | undefined,
  owner: LinkCounter,
  links: ReadonlyMap<string, unknown>,
  groups: ReadonlyMap<string, unknown>,
): string {
  let linkId = `link:${id ?? owner.counter + 1}`;
  if (id === undefined) {
    while (links.has(linkId)) linkId = `link:${++owner.counter + 1}`;
  } else if (links.has(linkId) || groups.has(id) || groups.has(groupOf(linkId) as string)) {
    // `<group>/<anything>` would be counted as a member of a live group `<group>` (the socket chart
    // reads a link's group from its id, and counts it when that group is in its context.groups:
    // with no live group of that name, `x/1` is a single link's id).
    throw new LinkvisorError('LV_ERR_DUPLICATE_ID', 'connect(): a link or group with this id exists', {
      option: 'id',
    });
  }
  return linkId;
}

/** Throws when group `id` is taken by a link or a group, or a live link's id is `<id>/<anything>`
 * (the socket chart would count it as a member). */
export function checkGroupId(
  id: string,
  links: ReadonlyMap<string, unknown>,
  groups: ReadonlyMap<string, unknown>,
): void {
  const members = `link:${id}/`;
  if (
    groups.has(id) ||
    links.has(`link:${id}`) ||
    [...links.keys()].some((linkId) => linkId.startsWith(members))
  ) {
    throw new LinkvisorError('LV_ERR_DUPLICATE_ID', 'connectGroup(): a link or group with this id exists', {
      option: 'id',
    });
  }
}
