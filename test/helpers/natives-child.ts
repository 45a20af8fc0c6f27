/**
 * Runs a child script of the tests under plain `node --allow-natives-syntax --import tsx` (V8's
 * `%HaveSameMap`, `%HasFastProperties`… answer there, never in vitest's own process) and returns
 * the JSON it printed on its last line.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** The JSON value `child` (a file path) printed, its run cut off after `timeoutMs`. */
export async function runNativesChild(child: string, timeoutMs = 110_000): Promise<unknown> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--allow-natives-syntax', '--import', 'tsx', child],
    { timeout: timeoutMs },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
}
