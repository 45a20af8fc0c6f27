/**
 * `thrown(fn)`: runs `fn`, which must throw a LinkvisorError synchronously, and returns it (the
 * test fails when it throws nothing or something else), for checks of what a refused call says.
 */
import { expect } from 'vitest';
import { LinkvisorError } from '../../src/util/errors.js';

/** Runs `fn`, which must throw a LinkvisorError synchronously; returns it. */
export function thrown(fn: () => unknown): LinkvisorError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(LinkvisorError);
  return error as LinkvisorError;
}
