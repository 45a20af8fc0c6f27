/**
 * The suite setup two React lab test files share (react-renders, react-default-supervisor): a
 * loopback `ws` server that records each connection's path, the lab page opened once for the file
 * (./lab-page.ts), every test starting from `lab.reset()` with no path recorded, and failing if
 * React or the hooks printed anything (no "getSnapshot should be cached", no update on an
 * unmounted component, no key warning).
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { startWsServer, type WsTestServer } from '../../helpers/servers.js';
import { type LabPage, openLabPage } from './lab-page.js';

export interface ReactLab {
  /** The lab page and the server, opened before the file's first test. */
  readonly lab: LabPage;
  readonly server: WsTestServer;
  /** Each connection's request path (`/feed`), this test's only. */
  readonly paths: string[];
  run: LabPage['run'];
}

export function useReactLab(): ReactLab {
  let lab: LabPage | undefined;
  let server: WsTestServer | undefined;
  const paths: string[] = [];
  const opened = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`the React lab's ${what} is not open (used outside a test?)`);
    return value;
  };
  const suite: ReactLab = {
    get lab() {
      return opened('page', lab);
    },
    get server() {
      return opened('server', server);
    },
    paths,
    run: (fn, arg) => suite.lab.run(fn, arg),
  };

  beforeAll(async () => {
    server = await startWsServer({
      onConnection: (_socket, request) => {
        paths.push(request.url ?? '');
      },
    });
    lab = await openLabPage();
  });

  afterAll(async () => {
    await lab?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    paths.length = 0;
    await suite.run((lab) => lab.reset());
  });

  afterEach(async () => {
    expect(await suite.run((lab) => [...lab.printed])).toEqual([]);
  });

  return suite;
}
