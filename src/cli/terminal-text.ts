/**
 * Text from the other end (messages, close reasons, error messages) made safe for a terminal.
 * A terminal obeys the control characters it is given: a server could write to the clipboard
 * (OSC 52), retitle the window, move the cursor, hide or rewrite lines, ring the bell, or fake a
 * lifecycle line with a newline. On a terminal every C0 control but tab, DEL and every C1 control
 * is shown as an escape, and the backslash as `\\`, so `\x1b` on screen can only mean the ESC
 * character (GNU `ls --escape`, vis(3), Python's repr do the same). On a pipe the text is
 * passed as it is: scripts get the bytes the server sent.
 */

/** When server text is escaped: `auto` (the default) when the stream is a terminal, `always`
 * (`--escape`), `never` (`--raw`). */
export type EscapeMode = 'auto' | 'always' | 'never';

/** Whether text written to a stream is escaped, for `mode` and whether the stream is a terminal. */
export function escapesFor(mode: EscapeMode, isTTY: boolean | undefined): boolean {
  if (mode === 'auto') return isTTY === true;
  return mode === 'always';
}

/** C0 controls but tab, DEL, C1 controls, and the backslash that starts an escape. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this module's purpose
const NEEDS_ESCAPE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\\]/g;

/** The escapes with a name of their own; every other control is `\xHH`. */
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\\': '\\\\' };

function escapeOne(char: string): string {
  return NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * `text` with every C0 control but tab (a newline too: one message stays one line), DEL and every
 * C1 control as an escape (`\n`, `\r`, `\xHH`), and `\` as `\\`: nothing in it can drive a
 * terminal, and each escape reads back to one character.
 */
export function escapeControls(text: string): string {
  return text.replace(NEEDS_ESCAPE, escapeOne);
}

/** What a stream gets of server text: `escapeControls` when `escapesFor(mode, isTTY)`, the text as it
 * is otherwise. */
export function terminalText(mode: EscapeMode, isTTY: boolean | undefined): (text: string) => string {
  return escapesFor(mode, isTTY) ? escapeControls : asItIs;
}

function asItIs(text: string): string {
  return text;
}
