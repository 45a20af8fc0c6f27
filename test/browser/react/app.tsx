/**
 * The page test/browser/react.test.ts drives: React 19 (its development build, where StrictMode
 * double-renders and double-runs effects) renders, inside <StrictMode>, the feeds (useLink +
 * useLinkState) and sockets (useWebSocket) the test asks for, and records what the test checks:
 * each component's commits with the state it showed, the messages each received, the hooks'
 * links. Bundled by esbuild for the browser (test/browser/react/page.ts).
 */
import { StrictMode, useEffect, version } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, hydrateRoot, type Root } from 'react-dom/client';
import {
  closeDefaultSupervisor,
  getDefaultSupervisor,
  useLink,
  useLinkState,
  useWebSocket,
} from '../../../src/react/index.js';
import type { Link } from '../../../src/runtime/link.js';

export interface FeedSpec {
  name: string;
  url: string;
  /** Pass the URL as a function (a new closure every render) that appends this version. */
  urlVersion?: number;
  linkKey?: string;
  /** backoff.maxDelayMs (option data: a change re-keys). Default 200. */
  maxDelayMs?: number;
}

export interface SocketSpec {
  name: string;
  url: string;
  enabled?: boolean;
  /** Written into every message the onMessage callback logs: which render's callback ran. */
  tag: string;
}

export interface Spec {
  feeds?: FeedSpec[];
  sockets?: SocketSpec[];
}

const BACKOFF = { initialDelayMs: 50, jitter: 'none' } as const;

/** What the page records; read by the test through page.evaluate. */
const record = {
  commits: {} as Record<string, string[]>,
  received: {} as Record<string, string[]>,
  links: {} as Record<string, Link>,
  socketLog: [] as string[],
  /** What React reported while hydrating (a server/client mismatch among them). */
  hydrationErrors: [] as string[],
};

function add(lists: Record<string, string[]>, name: string, value: string): void {
  const list = lists[name] ?? [];
  list.push(value);
  lists[name] = list;
}

function Feed({ spec }: { spec: FeedSpec }) {
  const { name, url, urlVersion, linkKey, maxDelayMs = 200 } = spec;
  const target = urlVersion === undefined ? url : () => `${url}/v${urlVersion}`;
  const link = useLink(target, {
    backoff: { ...BACKOFF, maxDelayMs },
    ...(linkKey === undefined ? {} : { key: linkKey }),
  });
  const state = useLinkState(link);
  useEffect(() => {
    add(record.commits, name, state);
  });
  useEffect(() => {
    record.links[name] = link;
    return link.on('message', (data) => {
      add(record.received, name, String(data));
    });
  }, [link, name]);
  return <p data-feed={name}>{state}</p>;
}

function Socket({ spec }: { spec: SocketSpec }) {
  const { name, url, enabled, tag } = spec;
  const socket = useWebSocket(url, undefined, {
    ...(enabled === undefined ? {} : { enabled }),
    minReconnectionDelay: 50,
    maxReconnectionDelay: 200,
    jitter: 'none',
    onOpen: () => record.socketLog.push(`${name}:${tag}:open`),
    onMessage: (event) => {
      record.socketLog.push(`${name}:${tag}:message:${String(event.data)}`);
      if (event.data === 'throw') throw new Error(`onMessage of ${name} threw on purpose`);
    },
    onClose: (event) => record.socketLog.push(`${name}:${tag}:close:${(event as CloseEvent).code}`),
  });
  useEffect(() => {
    add(record.commits, name, `socket:${socket.readyState}`);
  });
  return <p data-socket={name}>{tag}</p>;
}

function App({ spec }: { spec: Spec }) {
  return (
    <>
      {spec.feeds?.map((feed) => (
        <Feed key={feed.name} spec={feed} />
      ))}
      {spec.sockets?.map((socket) => (
        <Socket key={socket.name} spec={socket} />
      ))}
    </>
  );
}

let root: Root | null = null;
/** A second root, hydrated over server HTML (an island of a server-rendered page). */
let island: Root | null = null;

const harness = {
  record,
  render(spec: Spec): void {
    root ??= createRoot(document.getElementById('root') as HTMLElement);
    const current = root;
    flushSync(() =>
      current.render(
        <StrictMode>
          <App spec={spec} />
        </StrictMode>,
      ),
    );
  },
  unmount(): void {
    root?.unmount();
    root = null;
  },
  /** Hydrates `spec` over `html` (what the server rendered for it) in a root of its own. */
  hydrate({ spec, html }: { spec: Spec; html: string }): void {
    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.append(container);
    island = hydrateRoot(
      container,
      <StrictMode>
        <App spec={spec} />
      </StrictMode>,
      { onRecoverableError: (error) => record.hydrationErrors.push(String((error as Error).message)) },
    );
  },
  unmountIsland(): void {
    island?.unmount();
    island = null;
  },
  /** The default supervisor's live links: id and state. */
  links(): string[] {
    return getDefaultSupervisor()
      .list()
      .map((link) => `${link.id}:${link.state}`);
  },
  closeDefaultSupervisor,
  /** Forgets the messages received (commits and links stay: mounted components keep theirs). */
  reset(): void {
    record.received = {};
    record.socketLog = [];
  },
};

export type Harness = typeof harness;
(window as unknown as { harness: Harness }).harness = harness;
(window as unknown as { reactVersion: string }).reactVersion = version;
