/**
 * A path whose application check fails says where: the step, its event and the link's state lead
 * the check's own words. Before, a failing `check` reached the test runner bare ("expected
 * 'online' to be 'reconnecting'"), with nothing of the step among the path's dozen at which it
 * failed. An `expect()` failure keeps its expected and actual values (the runner's diff); a value
 * that is no Error becomes one, with it as `cause`.
 */
import { describe, expect, it } from 'vitest';
import { createLinkTestModel } from '../../src/testing/index.js';

const model = createLinkTestModel({ handshake: false, heartbeat: false, commands: false });
/** The first path that drops the link once it is ready: step 2 is `transport.closed`. */
const path = model.paths().find((p) => /^transport\.open → transport\.closed/.test(p.description));

describe('createLinkTestModel: a failing check', () => {
  it("names the step, its event and the link's state, and keeps an expect() failure's values", async () => {
    expect(path, 'a path that drops the ready link').toBeDefined();
    const failure = await path
      ?.run({
        check: (app, step) => {
          if (step.index === 2) expect(app.link.state).toBe('an impossible state');
        },
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Error);
    const error = failure as Error & { expected?: unknown; actual?: unknown };
    expect(error.message).toMatch(
      /^check failed after step 2 \(transport\.closed\(retryable\)\) of: transport\.open → transport\.closed.*, the link reconnecting: expected 'reconnecting' to be 'an impossible state'/,
    );
    expect(error.expected).toBe('an impossible state');
    expect(error.actual).toBe('reconnecting');
  });

  it('turns a thrown value that is no Error into one, with it as cause', async () => {
    const failure = await path
      ?.run({
        check: (_app, step) => {
          if (step.index === 1) throw 'banner missing';
        },
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      /^check failed after step 1 \(transport\.open\) of: .*, the link ready: banner missing$/,
    );
    expect((failure as Error).cause).toBe('banner missing');
  });
});
