/**
 * The supervisor's scrub of its links' secrets (src/runtime/supervisor-secrets.ts) in a storm of
 * the application's errors, one for each link (BENCHMARKS.md rounds 46–47): CPU and wall.
 * - `listener`: every link ready, then all dropped by the server; one listener every link shares
 *   throws on `reconnecting` (each throw is scrubbed of every link's secrets);
 * - `url`: a `url()` that rejects for every link, first attempts (the links never connected: their
 *   secrets are their options' static ones).
 * One bearer token a link, the memory transport (in-process off), backoff 60 s (no retry meanwhile).
 *
 * Run: node --import tsx bench/scrub-storm.ts [links=4000] [listener|url] [src dir, default ../src]
 * (a src dir lets a checkout of another commit be measured by the same script).
 */
const [countArg = '4000', mode = 'url', srcArg] = process.argv.slice(2);
if (mode !== 'listener' && mode !== 'url') throw new Error(`mode: listener or url, not ${mode}`);
const srcDir = srcArg
  ? new URL(`file://${srcArg.startsWith('/') ? '' : `${process.cwd()}/`}${srcArg}/`)
  : new URL('../src/', import.meta.url);
const { createSupervisor } = await import(new URL('index.js', srcDir).href);
const { createMemoryNetwork } = await import(new URL('testing/index.js', srcDir).href);

const count = Number(countArg);
const network = createMemoryNetwork({ inProcess: false });
const server = network.listen('mem://storm');
const supervisor = createSupervisor({
  transport: network.transport,
  backoff: { jitter: 'none', initialDelayMs: 60_000, maxDelayMs: 60_000 },
});
supervisor.on('error', () => {});
let errors = 0;
const thrower = () => {
  throw new Error('listener threw');
};
const links: { ready(): Promise<void> }[] = [];
for (let n = 0; n < count; n++) {
  const options = { headers: { Authorization: `Bearer ${n.toString(36)}TokStorm${n}x${'q'.repeat(12)}` } };
  const link =
    mode === 'url'
      ? supervisor.connect(async () => {
          throw new Error(`no url for TokStorm${n}x`);
        }, options)
      : supervisor.connect('mem://storm', options);
  link.on(mode === 'url' ? 'reconnecting' : 'error', () => {
    errors++;
  });
  if (mode === 'listener') link.on('reconnecting', thrower);
  links.push(link);
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return ((user + system) / 1000).toFixed(0);
};
const until = async (done: () => boolean) => {
  const deadline = Date.now() + 600_000;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
};
let t0 = performance.now();
let c0 = process.cpuUsage();
if (mode === 'listener') {
  await Promise.all(links.map((link) => link.ready()));
  console.log(`ready: ${(performance.now() - t0).toFixed(0)} ms, cpu ${cpuMs(c0)} ms`);
  t0 = performance.now();
  c0 = process.cpuUsage();
  server.dropAll();
}
await until(() => errors >= count);
console.log(
  `${mode} storm, ${count} links: ${errors} errors in ${(performance.now() - t0).toFixed(0)} ms, cpu ${cpuMs(c0)} ms`,
);
if (errors < count) console.log(`gave up waiting: ${count - errors} errors missing`);
// No process.exit(): a timer or socket left after close() shows as a run that does not end.
await supervisor.close();
