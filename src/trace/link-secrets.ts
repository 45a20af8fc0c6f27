/**
 * The secrets a trace recorder scrubs from a record, per link: every secret the link has known
 * (kept after it ends and its wire is gone), with the other spellings a trace must not contain.
 */
import type { RecordingHost } from '../runtime/recording-host.js';
import { traceSecrets } from './trace-json.js';

/** What the recorder reads of an event to find the links it is about (socket events). */
export interface SocketEventLike {
  linkId?: unknown;
  inputs?: readonly ({ linkId?: unknown } | undefined)[];
}

/** The secrets of each link a recorder has seen, as the host reports them. */
export class LinkSecrets {
  /** Per link: every secret it has known, and those with the other spellings. */
  private readonly byLink = new Map<string, { known: Set<string>; forms: string[] }>();

  constructor(private readonly host: Pick<RecordingHost, 'secretsOf'>) {}

  /**
   * The secrets to scrub from a record: its link's (a socket event's links are the ones it is
   * about: `linkId`, or each input's of `peer.add`). Per link, so a fleet with a token per link
   * costs the same per record as one link.
   */
  of(actorId: string, event: SocketEventLike | undefined): string[] {
    if (actorId !== 'socket') return this.ofLink(actorId);
    if (typeof event?.linkId === 'string') return this.ofLink(event.linkId);
    const inputs = Array.isArray(event?.inputs) ? event.inputs : [];
    const forms = inputs.flatMap((input) =>
      typeof input?.linkId === 'string' ? this.ofLink(input.linkId) : [],
    );
    // Longest first, as each link's are (a secret inside another is replaced after it).
    return inputs.length > 1 ? [...new Set(forms)].sort((x, y) => y.length - x.length) : forms;
  }

  /** The secrets of one link (see `of`). */
  private ofLink(linkId: string): string[] {
    let entry = this.byLink.get(linkId);
    if (!entry) {
      entry = { known: new Set(), forms: [] };
      this.byLink.set(linkId, entry);
    }
    const before = entry.known.size;
    for (const secret of this.host.secretsOf(linkId)) entry.known.add(secret);
    if (entry.known.size !== before) entry.forms = traceSecrets([...entry.known]);
    return entry.forms;
  }
}
