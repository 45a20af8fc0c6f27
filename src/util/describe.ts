/**
 * How a value is named in an error message without showing it (a secret may be in it): its kind,
 * or the number itself; and the plain-object check every option parser starts with.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `a string`;
  return typeof value;
}
