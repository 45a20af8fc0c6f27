/**
 * The link features a bundle carries only when it can use them: the resumable session (`resume`)
 * and the application handshake (`handshake`). The supervisor, `defineLink` and the testing
 * entry put them in the link environment (`...LINK_FEATURES`); the drop-in class, which offers
 * neither, never imports this file, so its bundle leaves both out (test/size/bundle-size.test.ts).
 */
import { createResumeSession } from './resume-session.js';
import { handshakeRunner } from './run-handshake.js';

export const LINK_FEATURES = { resume: createResumeSession, handshake: handshakeRunner } as const;
