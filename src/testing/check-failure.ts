/**
 * A failure of the application's own `check` in a link test model's path (./link-model.ts), made
 * to say where it happened: the step, its event and the link's state, before the check's own
 * words. An Error keeps its class and fields (an `expect()` failure keeps its expected and actual
 * values for the test runner's diff); anything else thrown becomes an Error with it as `cause`.
 */

/** `thrown`, its message led by `where` (`check failed after step 3 (…) in reconnecting: …`). */
export function checkFailure(thrown: unknown, where: string): Error {
  const lead = `check failed ${where}`;
  if (thrown instanceof Error) {
    try {
      thrown.message = `${lead}: ${thrown.message}`;
      return thrown;
    } catch {
      // A frozen error keeps its message: wrapped below.
    }
  }
  return new Error(`${lead}: ${thrown instanceof Error ? thrown.message : String(thrown)}`, {
    cause: thrown,
  });
}
