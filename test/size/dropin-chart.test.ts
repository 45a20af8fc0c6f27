/**
 * The drop-in runs the connection chart without its features (`connectionChart`: the same config
 * as `connectionMachine` with every feature slot empty, machines/connection.machine.ts), so its
 * bundle leaves out the feature states and transitions (machines/connection-feature-states.ts) and
 * their guards, delays and actions (machines/connection-features.ts): BENCHMARKS.md round 46
 * (bundle). Both modules are in the whole `linkvisor` bundle (its supervisor runs the full chart),
 * so a pattern or a word that no longer names anything fails here instead of proving nothing.
 */
import { describe, expect, it } from 'vitest';
import { BROWSER_ENTRIES, measureBundle } from '../../scripts/browser-bundles.mjs';

/** The modules only the full chart imports. */
const FEATURE_MODULES = [/machines\/connection-feature-states\.ts$/, /machines\/connection-features\.ts$/];
/** Names (as strings in the bundle) only the feature transitions use: their events, actions and
 * guards. */
const FEATURE_WORDS = [
  'resume.unacked',
  'announceResume',
  'recordGroupRestart',
  'link.restart',
  'planRejoin',
  'intensityFails',
  'startHandshake',
];

const carried = (inputs: string[]) =>
  FEATURE_MODULES.filter((pattern) => inputs.some((file) => pattern.test(file))).map(String);
const words = (text: string) => FEATURE_WORDS.filter((word) => text.includes(`"${word}"`));

describe("the drop-in's chart in the bundles", () => {
  it('linkvisor/ws and ReconnectingWebSocket from linkvisor leave the feature states out; the whole entry has them', async () => {
    const fromWs = await measureBundle(BROWSER_ENTRIES.ws, { withXstate: false });
    const fromIndex = await measureBundle(
      { contents: "export { ReconnectingWebSocket } from './src/entries/browser.ts';" },
      { withXstate: false },
    );
    const whole = await measureBundle(BROWSER_ENTRIES.index, { withXstate: false });
    expect(carried(whole.inputs)).toEqual(FEATURE_MODULES.map(String));
    expect(words(whole.text)).toEqual(FEATURE_WORDS);
    expect(carried(fromWs.inputs), 'linkvisor/ws').toEqual([]);
    expect(words(fromWs.text), 'linkvisor/ws').toEqual([]);
    expect(carried(fromIndex.inputs), 'ReconnectingWebSocket from linkvisor').toEqual([]);
    expect(words(fromIndex.text), 'ReconnectingWebSocket from linkvisor').toEqual([]);
    // The chart itself is there (its states by name).
    for (const state of ['"connectGrace"', '"coolingDown"', '"suspended"'])
      expect(fromWs.text.includes(state), state).toBe(true);
  });
});
