/**
 * Text from the other end (messages, close reasons, error messages) made safe for a terminal.
 * A terminal obeys the control characters it is given: a server could write to the clipboard
 * (OSC 52), retitle the window, move the cursor, hide or rewrite lines, ring the bell, or fake a
 * lifecycle line with a newline. On a terminal every C0 control but tab, DEL and every C1 control
 * is shown as an escape, and the backslash as `\\`, so `\x1b` on screen can only mean the ESC
 * character (GNU `ls --escape`, vis(3), Python's repr do the same). On a pipe the text is
 * passed as it is: scripts get the bytes the server sent.
 *
 * Node writes UTF-8, whose encoding of ordinary letters is full of bytes 0x80–0x9F (ě is C4 9B):
 * a terminal that is not in UTF-8 (a Latin-1 locale, xterm or the Linux console in 8-bit mode)
 * reads those as C1 controls (9B is CSI, 9D OSC). So on a terminal whose locale does not say
 * UTF-8, every character beyond ASCII is escaped too (`\u011b`, `\U0001f600`, as Python's
 * `ascii()`).
 *
 * Unicode has characters that drive a line without being controls: the bidirectional controls
 * (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates, the marks U+200E, U+200F and
 * U+061C) reorder what follows on the line, so a close reason can show its text backwards or make
 * a lifecycle line read differently from its bytes (Trojan Source, CVE-2021-42574); the line and
 * paragraph separators U+2028/U+2029 break a line in some terminals; invisible characters (zero
 * width space U+200B, word joiner and invisible operators U+2060–U+2064, the deprecated format
 * controls U+206A–U+206F, the BOM U+FEFF, the soft hyphen U+00AD, U+180E, the interlinear
 * annotation marks U+FFF9–U+FFFB) make two different texts look alike. On a terminal they are
 * escaped as `\uXXXX` too, whatever the locale. Zero width (non-)joiner, U+200C/U+200D, stay:
 * Persian, Indic scripts and emoji sequences need them to render, and they reorder nothing.
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

/** Format characters that reorder, break or hide text on a line (the module's header): the bidi
 * controls, the line and paragraph separators, invisible characters. */
const SPOOFING =
  /[\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

/** The escapes with a name of their own; every other control is `\xHH`. */
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\\': '\\\\' };

function escapeOne(char: string): string {
  return NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * `text` with every C0 control but tab (a newline too: one message stays one line), DEL and every
 * C1 control as an escape (`\n`, `\r`, `\xHH`), every bidi control, line or paragraph separator
 * and invisible format character as `\uXXXX` (the module's header), and `\` as `\\`: nothing in
 * it can drive a terminal or reorder a line, and each escape reads back to one character.
 */
export function escapeControls(text: string): string {
  return text.replace(NEEDS_ESCAPE, escapeOne).replace(SPOOFING, escapeCodePoint);
}

/** Beyond ASCII (a lone surrogate is one code point here). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at NUL
const NON_ASCII = /[^\x00-\x7f]/gu;

function escapeCodePoint(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0xffff
    ? `\\U${code.toString(16).padStart(8, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `escapeControls(text)` with every character beyond ASCII as `\uXXXX` (`\UXXXXXXXX` past
 * U+FFFF): only ASCII bytes reach the terminal, none of which a terminal in an 8-bit charset
 * takes for a C1 control.
 */
export function escapeToAscii(text: string): string {
  return escapeControls(text).replace(NON_ASCII, escapeCodePoint);
}

/**
 * Whether the terminal takes UTF-8, as the locale says (`LC_ALL`, else `LC_CTYPE`, else `LANG`:
 * `en_US.UTF-8`, `C.UTF-8`). No locale, `C`, or an 8-bit charset: not UTF-8. Windows consoles take
 * UTF-16 (no C1 byte ever reaches them): UTF-8 for this purpose.
 */
export function terminalTakesUtf8(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (platform === 'win32') return true;
  return /utf-?8/i.test(env.LC_ALL || env.LC_CTYPE || env.LANG || '');
}

/** What a stream gets of server text: when `escapesFor(mode, isTTY)`, `escapeControls`, or
 * `escapeToAscii` on a terminal that does not take UTF-8 (`utf8`, by default from the locale:
 * `terminalTakesUtf8`); the text as it is otherwise. */
export function terminalText(
  mode: EscapeMode,
  isTTY: boolean | undefined,
  utf8: boolean = terminalTakesUtf8(),
): (text: string) => string {
  if (!escapesFor(mode, isTTY)) return asItIs;
  return isTTY === true && !utf8 ? escapeToAscii : escapeControls;
}

function asItIs(text: string): string {
  return text;
}
