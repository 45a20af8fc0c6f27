/** Types of scripts/chart-descriptions.mjs (for its test). */

/** Whether `fileName` is a chart source (a file of the top-level `machines/` folder). */
export function isChartSource(fileName: string): boolean;
/** `source` (a file of `machines/`) with its text-only `description` properties left out, or null. */
export function withoutDescriptions(fileName: string, source: string): string | null;
