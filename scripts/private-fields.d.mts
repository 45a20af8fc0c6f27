/** Types of scripts/private-fields.mjs (for its test). */
import type { Plugin } from 'esbuild';

/** `source` with its provably class-internal `private` members made `#private`, or null. */
export function privateToHash(fileName: string, source: string): string | null;
/** esbuild plugin: every .ts source of the bundle goes through privateToHash. */
export const privateFields: Plugin;
