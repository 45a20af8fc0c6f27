/**
 * The supervisor's figures over time, for the page's sparklines: once a second, the links ready
 * and the peers of every supervisor (socket actor) the collector holds, with the attempts and the
 * losses counted since the sample before; the last SAMPLE_SECONDS samples are kept for the `hello`
 * of a page that opens later.
 */
import { sampleCounts } from './actor-figures.js';
import type { Inspector, InspectorUpdate } from './create-inspector.js';
import type { ActorInfo, Sample } from './protocol.js';

/** Supervisor samples kept: one a second for five minutes. */
export const SAMPLE_SECONDS = 300;

/** The samples of one inspector server, and the counts that go into the next. */
export class SupervisorSamples {
  private readonly kept: Sample[] = [];
  /** Ids of the supervisors' socket actors. */
  private readonly sockets = new Set<string>();
  private attempts = 0;
  private lost = 0;

  constructor(private readonly inspector: Inspector) {}

  /** Follows the supervisors among `actors` (the ones the collector held before it was read). */
  follow(actors: Iterable<ActorInfo>): void {
    for (const actor of actors) if (actor.group === 'supervisor') this.sockets.add(actor.id);
  }

  /** Counts what a change of the collector adds: a supervisor seen or gone, an attempt, a loss. */
  note(update: InspectorUpdate): void {
    if (update.type === 'actor' && update.actor.group === 'supervisor') this.sockets.add(update.actor.id);
    if (update.type === 'removed') this.sockets.delete(update.actor);
    if (update.type === 'record') {
      const counted = sampleCounts(update.record);
      if (counted === 'attempt') this.attempts++;
      else if (counted === 'lost') this.lost++;
    }
  }

  /** The sample of this second (kept; the oldest beyond SAMPLE_SECONDS is forgotten). */
  take(): Sample {
    let ready = 0;
    let peers = 0;
    for (const id of this.sockets) {
      const figures = this.inspector.get(id)?.figures;
      ready += figures?.ready ?? 0;
      peers += figures?.peers ?? 0;
    }
    const sample: Sample = {
      at: Math.floor(Date.now() / 1000) * 1000,
      ready,
      peers,
      attempts: this.attempts,
      lost: this.lost,
    };
    this.attempts = 0;
    this.lost = 0;
    this.kept.push(sample);
    if (this.kept.length > SAMPLE_SECONDS) this.kept.shift();
    return sample;
  }

  /** The samples kept, oldest first (a copy). */
  list(): Sample[] {
    return [...this.kept];
  }
}
