/**
 * The package version, as a constant the browser build can carry too (traces record it).
 * A test checks it against package.json.
 */
export const LINKVISOR_VERSION = '0.1.0';
