/**
 * The data path in isolation (the datapath section of `npm run bench`): what linkvisor adds per
 * echoed message with no socket at all (bench/datapath.ts, a transport stub), and its share of raw
 * ws's client CPU per message as the echo section measured it; and linkvisor − bare with each
 * message in a job of its own (what a link pays once per job shows there, not in the batched row).
 */
import type { BenchSectionOptions } from './bench-args.js';
import { CLIENT_CPU, startChild } from './child.js';
import { fmt, table } from './report.js';

/** Runs the datapath section (`quick`: fewer messages and rounds) and logs its table.
 * `rawWsCpuUs(size)` is raw ws's client CPU µs per message from the echo section: without it (NaN)
 * the share column reads '—'. */
export async function runDatapathBench(
  options: BenchSectionOptions & { rawWsCpuUs: (size: number) => number },
): Promise<{ table: string }> {
  const { quick } = options;
  const child = startChild('datapath.ts', [quick ? '200000' : '1000000', quick ? '3' : '7'], {
    cpu: CLIENT_CPU,
  });
  const datapath = await child.next<{
    linkvisorNs: number;
    bareNs: number;
    jobExtraNs: number;
    jobExtraRange: [number, number];
  }>('result', 120_000);
  await child.stop();
  const wsCpuNs = (size: number) => 1000 * options.rawWsCpuUs(size);
  const datapathTable = table(
    ['per echoed message, no socket', 'ns', 'share of raw ws client CPU at 64 B / 4 KiB'],
    [
      [
        'linkvisor: transport → listener → link.send()',
        fmt(datapath.linkvisorNs, 1),
        `${fmt((100 * datapath.linkvisorNs) / wsCpuNs(64), 2)} % / ${fmt((100 * datapath.linkvisorNs) / wsCpuNs(4096), 2)} %`,
      ],
      ['bare: listener → send()', fmt(datapath.bareNs, 1), '—'],
      [
        `linkvisor − bare, one message per job (CPU; rounds ${fmt(datapath.jobExtraRange[0])}–${fmt(datapath.jobExtraRange[1])})`,
        fmt(datapath.jobExtraNs, 1),
        // No share: raw ws pays more per message too when each socket read carries one message.
        '—',
      ],
    ],
    ['l', 'r', 'r'],
  );
  options.log(`${datapathTable}\n`);
  return { table: datapathTable };
}
