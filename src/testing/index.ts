/**
 * linkvisor/testing: test code that uses linkvisor without sockets and without waiting real time.
 */

export {
  createMemoryNetwork,
  type MemoryNetwork,
  type MemoryNetworkOptions,
  type MemoryPeer,
  type MemoryServer,
  type RefuseWith,
} from '../transports/memory-transport.js';
export { settle, TestClock } from './test-clock.js';
