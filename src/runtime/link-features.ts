/**
 * The link features a bundle carries only when it can use them: the resumable session (`resume`),
 * the application handshake (`handshake`) and an attempt's `headers` and `wsOptions` with the
 * secrets of headers (`headers`), the hold on reading of `Link.pause()` (`hold`) and the
 * connection of custom transports, which may detach their handlers (`connectWith`), and the
 * chart's handshake, resume and ack commands (`commands`), and the words of an attempt signal's
 * abort reason (`abort`). The
 * supervisor, `defineLink` and the testing entry put them in the link environment
 * (`...LINK_FEATURES`); the drop-in class, which offers none of them, never imports this file, so
 * its bundle leaves them out (test/size/bundle-size.test.ts). The Node drop-in (src/entries/ws.ts,
 * on ws, which can pause) offers the hold alone.
 */
import { connectWith } from '../transports/detachable-handlers.js';
import { ATTEMPT_ABORT } from './attempt-abort.js';
import { HEADER_SUPPORT } from './attempt-headers.js';
import { featureCommand } from './feature-commands.js';
import { readingHold } from './reading-hold.js';
import { createResumeSession } from './resume-session.js';
import { resumeTemplate } from './resume-template.js';
import { handshakeRunner } from './run-handshake.js';

export const LINK_FEATURES = {
  resume: createResumeSession,
  resumeOptions: resumeTemplate,
  handshake: handshakeRunner,
  headers: HEADER_SUPPORT,
  hold: readingHold,
  connectWith,
  commands: featureCommand,
  abort: ATTEMPT_ABORT,
} as const;
