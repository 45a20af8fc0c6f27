/**
 * elkjs on the test's own thread, as the inspector ran it before it moved to a worker
 * (src/inspector/layout-worker.ts): the layout tests call `layoutChart` with it directly, and
 * layout-worker.test.ts checks that the worker's layouts are the same.
 */
import elkModule from 'elkjs/lib/elk.bundled.js';
import type { ElkLayout } from '../../src/inspector/layout-chart.js';

type ElkConstructor = typeof elkModule.default;
/** elkjs is CommonJS: Node hands its constructor over as the default export, bundlers as `.default`. */
const ELK: ElkConstructor =
  (elkModule as unknown as { default?: ElkConstructor }).default ?? (elkModule as unknown as ElkConstructor);

let elk: InstanceType<ElkConstructor> | null = null;

export const layoutInThread: ElkLayout = (graph) => {
  elk ??= new ELK();
  return elk.layout(graph);
};
