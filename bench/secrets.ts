/**
 * Cost of collecting a link's secrets per attempt from a URL with many query parameters (every
 * value, in every form it may come back in). Run: node --import tsx bench/secrets.ts
 * Linear: doubling the parameters about doubles the time; an attempt with the same URL again
 * costs a comparison.
 */
import { SecretSet } from '../src/util/redact.js';

for (const n of [1_000, 10_000, 20_000, 100_000]) {
  const url = `ws://u:p@127.0.0.1:1/x?${Array.from({ length: n }, (_, i) => `k${i}=value${i}`).join('&')}`;
  const secrets = new SecretSet();
  const t0 = performance.now();
  secrets.addFrom(url);
  const t1 = performance.now();
  secrets.addFrom(url);
  const t2 = performance.now();
  const redactMs = (() => {
    const t = performance.now();
    secrets.redact('closed with code 4000: value17 rejected');
    return performance.now() - t;
  })();
  console.log(
    `${n} params: first attempt ${(t1 - t0).toFixed(1)} ms, next attempt ${(t2 - t1).toFixed(1)} ms, ` +
      `${secrets.size} forms, one redact ${redactMs.toFixed(1)} ms`,
  );
}
