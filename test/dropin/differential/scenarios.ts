/**
 * The scripted scenarios of the differential harness: the same script runs against partysocket
 * 1.3.0, reconnecting-websocket 4.4.0 and linkvisor/ws (see run-scenarios.ts). Each drives one
 * socket (or two) through the common surface against loopback servers and records what it sees;
 * the conditions it waits for are ones every implementation reaches (or a bounded window passes).
 * They are written by concern in scenarios-connect.ts, scenarios-close.ts, scenarios-reconnect.ts
 * and scenarios-options.ts (their shared steps: scenario-fixtures.ts); this is their order.
 */
import type { Scenario } from './record.js';
import { CLOSE_SCENARIOS } from './scenarios-close.js';
import { CONNECT_SCENARIOS } from './scenarios-connect.js';
import { OPTION_SCENARIOS } from './scenarios-options.js';
import { RECONNECT_SCENARIOS } from './scenarios-reconnect.js';

export const SCENARIOS: Scenario[] = [
  ...CONNECT_SCENARIOS,
  ...CLOSE_SCENARIOS,
  ...RECONNECT_SCENARIOS,
  ...OPTION_SCENARIOS,
];
