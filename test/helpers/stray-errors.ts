/**
 * What escaped during each test of a `describe`: rejections nobody handled (and, with
 * `{ exceptions: true }`, uncaught exceptions), both of which end a Node process by default. The
 * array is emptied before each test; assert it is `[]` after giving a rejection a turn or two to
 * be reported.
 */
import { afterEach, beforeEach } from 'vitest';

export function useStrayErrors(options: { exceptions?: boolean } = {}): unknown[] {
  const stray: unknown[] = [];
  const onStray = (reason: unknown) => stray.push(reason);
  beforeEach(() => {
    stray.length = 0;
    process.on('unhandledRejection', onStray);
    if (options.exceptions) process.on('uncaughtException', onStray);
  });
  afterEach(() => {
    process.off('unhandledRejection', onStray);
    process.off('uncaughtException', onStray);
  });
  return stray;
}
