/**
 * The effects of the socket chart's steps, run after the step that asked for them, never inside
 * it: a link, or a listener, reacting synchronously inside the socket's action would run its own
 * actions inside the socket's step (XState's dev build warns), and a listener may call `close()`
 * or `connect()` and must find the socket between steps. The supervisor runs them after each event
 * it sends; steps caused by link reports or the linger timer have no caller, so a microtask does,
 * and so does `supervisor.close()`'s: a link closed with its own code in the same job is told
 * first (./supervisor-link-host.ts).
 */

/** A queue of effects that run after the current step of the socket actor, in order. */
export class AfterStep {
  private readonly effects: (() => void)[] = [];
  private scheduled = false;

  /** Queues an effect of the socket chart; runs after the current step (at the latest, on a
   * microtask: steps caused by link reports or the linger timer have no caller to flush). */
  add(effect: () => void): void {
    this.effects.push(effect);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.run());
    }
  }

  /** Runs every queued effect, and those they queue meanwhile, in order. */
  run(): void {
    this.scheduled = false;
    while (this.effects.length > 0) {
      const effects = this.effects.splice(0);
      for (const effect of effects) effect();
    }
  }
}
