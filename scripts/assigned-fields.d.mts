/** Types of scripts/assigned-fields.mjs (for its test). */

/** `source` with its constructor-assigned bare fields declared only (`declare`), or null. */
export function declareAssignedFields(fileName: string, source: string): string | null;
