/**
 * A supervisor whose every actor the inspector follows from its start (`createInspector()` given as
 * its `inspect`) and the inspector server on it, closed after the test.
 */

import type { Supervisor } from '../../src/index.js';
import { createInspector, type InspectorServer, startInspector } from '../../src/inspector/index.js';
import { FAST, type Harness } from '../helpers/harness.js';

export async function inspectedSupervisor(h: Harness): Promise<{
  inspector: ReturnType<typeof createInspector>;
  supervisor: Supervisor;
  server: InspectorServer;
}> {
  const inspector = createInspector();
  const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
  const server = await startInspector(supervisor, { inspector });
  h.defer(() => server.close());
  return { inspector, supervisor, server };
}
