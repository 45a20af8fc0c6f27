/**
 * Actor creation (the actors section of `npm run bench`): links on the memory transport created
 * idle and connected (bench/actors.ts, one child with --expose-gc): creation time, time until idle
 * or ready, heap per link, and the time for `supervisor.close()` to end them all.
 */
import { startChild } from './child.js';
import { fmt, table } from './report.js';

interface ActorRun {
  createMs: number;
  readyMs: number;
  bytesPerLink: number;
  closeMs: number;
  notThere: number;
}

/** Runs the actors section with `links` links (10,000 in the record) and logs its table. */
export async function runActorsBench(options: { links: number; log: (line: string) => void }): Promise<{
  table: string;
}> {
  const { links } = options;
  const child = startChild('actors.ts', [String(links)], { nodeFlags: ['--expose-gc'] });
  const actors = await child.next<{ idle: ActorRun; connected: ActorRun }>('result', 120_000);
  await child.stop();
  const row = (label: string, run: ActorRun) => [
    label,
    fmt(run.createMs),
    fmt(run.readyMs),
    fmt(run.bytesPerLink),
    fmt(run.closeMs),
  ];
  const actorTable = table(
    [
      'links on the memory transport',
      'create (ms)',
      'until idle / ready (ms)',
      'heap B/link',
      'close() all (ms)',
    ],
    [
      row(`${fmt(links)} created idle (autoConnect: false)`, actors.idle),
      row(`${fmt(links)} connected (ready, peers included)`, actors.connected),
    ],
    ['l', 'r', 'r', 'r', 'r'],
  );
  options.log(`\n${actorTable}\n`);
  return { table: actorTable };
}
