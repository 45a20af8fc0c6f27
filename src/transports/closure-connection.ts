/**
 * A transport connection made of one attempt's closures, its buffer read through a getter of the
 * class. Written as an object literal, `{ send() {…}, get bufferedAmount() {…} }`, every
 * connection gets a hidden class and descriptor array of its own (V8 keeps an accessor's functions
 * in the map, and each literal's getter is a new closure): +0.8 KB a link on the memory transport
 * (BENCHMARKS.md, "Round 17 (getters)"). A class shares one.
 */
import type { TransportConnection } from './transport.js';

/** The calls of a connection, as closures (none reads `this`), and how to read its buffer. */
export interface ConnectionCalls extends Omit<TransportConnection, 'bufferedAmount'> {
  /** Bytes written but not yet handed to the network (`bufferedAmount`). */
  buffered(): number;
}

/** A `TransportConnection` over one attempt's closures (`calls`): every instance shares one hidden
 * class, its `bufferedAmount` a getter on the prototype. */
export class ClosureConnection implements TransportConnection {
  declare readonly send: TransportConnection['send'];
  declare readonly ping: TransportConnection['ping'];
  declare readonly close: TransportConnection['close'];
  declare readonly terminate: TransportConnection['terminate'];
  declare readonly pause?: TransportConnection['pause'];
  declare readonly resume?: TransportConnection['resume'];
  declare private readonly buffered: () => number;

  constructor(calls: ConnectionCalls) {
    // Own properties in the literal's order: every connection of one transport shares a map.
    Object.assign(this, calls);
  }

  get bufferedAmount(): number {
    return this.buffered();
  }
}
