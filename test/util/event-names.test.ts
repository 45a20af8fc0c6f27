/**
 * A misspelt event name or option key is an error, not silence (round 26, keys): `on('mesage')` /
 * `off('mesage')` of a link, a supervisor, a group, a resumable server and a session throw
 * LV_ERR_UNKNOWN_OPTION naming `event` with a "did you mean" hint (the listener was kept and never
 * fired), `link.close({ cod })` and `link.ready({ sigal })` LV_ERR_UNKNOWN_OPTION naming the key
 * (the key was ignored). And every list is complete: each emitter takes every name its `…Events`
 * interface declares (read from the source with the TypeScript compiler, so a list cannot drift
 * from the types). Real `ws` servers on 127.0.0.1 port 0; nothing left after (the harness).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { thrown } from '../helpers/thrown.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from '../server/raw-resume-client.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The names an interface of `file` declares (its index signature aside). */
function declaredNames(file: string, name: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(path.join(ROOT, file), 'utf8'),
    ts.ScriptTarget.ES2022,
  );
  const found = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
  );
  if (!found) throw new Error(`${name} not in ${file}`);
  return found.members.flatMap((m) => (ts.isPropertySignature(m) ? [m.name.getText(source)] : []));
}

type Emits = { on(event: string, fn: () => void): () => void; off?(event: string, fn: () => void): void };

/** Every declared name is taken by `on` (and `off`); a misspelt one is refused by both. */
function checkEmitter(owner: Emits, names: string[], typo: string, meant: string): void {
  expect(names.length).toBeGreaterThan(3);
  for (const name of names) {
    const fn = () => {};
    const unsubscribe = owner.on(name, fn);
    unsubscribe();
    owner.off?.(name, fn);
  }
  for (const call of [
    () => owner.on(typo, () => {}),
    ...(owner.off ? [() => owner.off?.(typo, () => {})] : []),
  ]) {
    const error = thrown(call);
    expect(error.code).toBe('LV_ERR_UNKNOWN_OPTION');
    expect(error.option).toBe('event');
    expect(error.message).toContain(`unknown event '${typo}' (did you mean '${meant}'?)`);
  }
  const far = thrown(() => owner.on('zzzzzzzz', () => {}));
  expect(far.message).not.toContain('did you mean');
  expect(thrown(() => owner.on(42 as unknown as string, () => {})).code).toBe('LV_ERR_UNKNOWN_OPTION');
}

describe('on(event) / off(event): a name the owner never emits is refused', () => {
  const h = useHarness();

  it('a link: every LinkEvents name taken; on/off of a misspelt one throw LV_ERR_UNKNOWN_OPTION naming `event`', async () => {
    const server = await h.wsServer();
    const link = h.supervisor().connect(server.url);
    checkEmitter(
      link as unknown as Emits,
      declaredNames('src/runtime/link-events.ts', 'LinkEvents'),
      'mesage',
      'message',
    );
    await link.ready();
  });

  it('a supervisor and a group: every SupervisorEvents / LinkGroupEvents name taken, a misspelt one refused', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor();
    checkEmitter(
      supervisor as unknown as Emits,
      declaredNames('src/runtime/supervisor-types.ts', 'SupervisorEvents'),
      'donw',
      'down',
    );
    const group = supervisor.connectGroup([server.url, server.url], { id: 'pool' });
    checkEmitter(
      group as unknown as Emits,
      declaredNames('src/runtime/link-group.ts', 'LinkGroupEvents'),
      'restrat',
      'restart',
    );
    await group.ready();
  });

  it('a resumable server and its session: every ResumableEvents / SessionEvents name taken, a misspelt one refused', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss);
    h.defer(() => rs.close());
    checkEmitter(
      rs as unknown as Emits,
      declaredNames('src/server/resumable-types.ts', 'ResumableEvents'),
      'sesion',
      'session',
    );
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    const client = new RawResumeClient();
    h.defer(() => client.close());
    await client.connect(server.url);
    await waitFor(() => sessions.length === 1, { message: 'the session' });
    checkEmitter(
      sessions[0] as unknown as Emits,
      declaredNames('src/server/session-types.ts', 'SessionEvents'),
      'clsoe',
      'close',
    );
  });
});

describe('link.close(options) / link.ready(options): a misspelt key is refused', () => {
  const h = useHarness();

  it('close({ cod }) throws LV_ERR_UNKNOWN_OPTION naming `cod` (did you mean code); the link stays open', async () => {
    const server = await h.wsServer();
    const link = h.supervisor().connect(server.url);
    await link.ready();
    const error = thrown(() => link.close({ cod: 4000 } as never));
    expect(error.code).toBe('LV_ERR_UNKNOWN_OPTION');
    expect(error.option).toBe('cod');
    expect(error.message).toContain("did you mean 'code'?");
    expect(link.state).toBe('ready');
    await link.close({ code: 4000, reason: 'done' });
  });

  it('ready({ sigal }) throws LV_ERR_UNKNOWN_OPTION naming `sigal` (did you mean signal)', async () => {
    const server = await h.wsServer();
    const link = h.supervisor().connect(server.url);
    const error = thrown(() => link.ready({ sigal: AbortSignal.timeout(1) } as never));
    expect(error.code).toBe('LV_ERR_UNKNOWN_OPTION');
    expect(error.option).toBe('sigal');
    expect(error.message).toContain("did you mean 'signal'?");
    await link.ready({ signal: null });
  });
});
