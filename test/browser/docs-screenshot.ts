/**
 * Where a browser test saves a screenshot: always under artifacts/ (ignored by git), and into
 * docs/ only when asked (`LV_UPDATE_DOCS=1 npm run test:browser`), so an ordinary run leaves the
 * checkout as it was.
 */
export function screenshotPaths(name: string): string[] {
  return process.env.LV_UPDATE_DOCS === '1' ? [`artifacts/${name}`, `docs/${name}`] : [`artifacts/${name}`];
}
