const root = process.argv[2] ?? '/work/main';
const { BROWSER_ENTRIES, measureBundle } = await import(`${root}/scripts/browser-bundles.mjs`);
const r = [];
r.push((await measureBundle(BROWSER_ENTRIES.ws, { withXstate: false })).gzipped);
r.push((await measureBundle(BROWSER_ENTRIES.ws, { withXstate: true })).gzipped);
r.push((await measureBundle(BROWSER_ENTRIES.index, { withXstate: false })).gzipped);
r.push((await measureBundle(BROWSER_ENTRIES.react, { withXstate: false })).gzipped);
console.log(r.join(' / '));
