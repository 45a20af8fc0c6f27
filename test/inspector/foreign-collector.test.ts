/**
 * A collector that follows another supervisor (its `inspect` went to another createSupervisor),
 * given to `startInspector(supervisor, { inspector })`, would show that supervisor's socket and
 * links as this one's: it is refused, LV_ERR_INVALID_OPTION naming `inspector` — also once that
 * supervisor is closed. The supervisor's own collector, even after its close, is accepted. On real
 * `ws` servers on loopback.
 */
import { describe, expect, it } from 'vitest';
import { createInspector, startInspector } from '../../src/inspector/index.js';
import { FAST, useHarness } from '../helpers/harness.js';

const refused = expect.objectContaining({
  name: 'LinkvisorError',
  code: 'LV_ERR_INVALID_OPTION',
  option: 'inspector',
});

describe('startInspector with a collector of another supervisor', () => {
  const h = useHarness();

  it('is refused naming inspector, while that supervisor runs and after it closed', async () => {
    const ws = await h.wsServer();
    const inspector = createInspector();
    h.defer(() => inspector.dispose());
    const other = h.supervisor({ ...FAST, inspect: inspector.inspect });
    await other.connect(ws.url, { id: 'theirs' }).ready();
    const supervisor = h.supervisor(FAST);
    await supervisor.connect(ws.url, { id: 'ours' }).ready();
    const warnings: string[] = [];
    const warn = (message: string) => warnings.push(message);

    await expect(startInspector(supervisor, { inspector, warn })).rejects.toThrow(refused);
    await other.close();
    await expect(startInspector(supervisor, { inspector, warn })).rejects.toThrow(refused);
    expect(warnings).toEqual([]);
  });

  it("a supervisor's own collector is accepted, also after that supervisor closed", async () => {
    const ws = await h.wsServer();
    const inspector = createInspector();
    h.defer(() => inspector.dispose());
    const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
    await supervisor.connect(ws.url, { id: 'own' }).ready();
    const live = await startInspector(supervisor, { inspector });
    await live.close();
    await supervisor.close();
    const after = await startInspector(supervisor, { inspector });
    await after.close();
  });
});
