/** Types of scripts/browser-bundles.mjs (for the size-budget test). */
export declare const ROOT: string;
export declare const BROWSER_ENTRIES: { index: string; ws: string; react: string };
/** Peer dependencies left out of every browser bundle. */
export declare const PEERS: string[];
export declare const BROWSER_BUILD: Record<string, unknown>;
export interface BundleSize {
  minified: number;
  gzipped: number;
  /** Source files in the bundle, relative to the package root. */
  inputs: string[];
  /** The minified bundle. */
  text: string;
}
export declare function measureBundle(
  entry: string | { contents: string },
  options: { withXstate: boolean },
): Promise<BundleSize>;
/** `options` with xstate's imports shared by one module when xstate is external (scripts/xstate-import.mjs). */
export declare function withOneXstateImport<T extends Record<string, unknown>>(options: T): Promise<T>;
