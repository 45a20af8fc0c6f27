/**
 * escapeControls and the escape decision: every C0 control but tab, DEL and every C1 control
 * becomes an escape, the backslash doubles, and the escaped text reads back to the original
 * (property-tested), so what a terminal shows is unambiguous.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeControls,
  escapesFor,
  escapeToAscii,
  terminalTakesUtf8,
  terminalText,
} from '../../src/cli/terminal-text.js';

/** Reads escaped text back (the inverse the escapes promise). */
function readBack(text: string): string {
  return text.replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|n|r|\\)/g, (_, code: string) => {
    if (code === 'n') return '\n';
    if (code === 'r') return '\r';
    if (code === '\\') return '\\';
    return String.fromCodePoint(Number.parseInt(code.slice(1), 16));
  });
}

describe('cli: escapeControls', () => {
  it('escapes every C0 control but tab, DEL and every C1 control; keeps the rest', () => {
    for (let code = 0; code < 0xa0; code++) {
      const char = String.fromCharCode(code);
      const shown = escapeControls(char);
      const control = code < 0x20 || code >= 0x7f;
      if (char === '\t') expect(shown).toBe('\t');
      else if (char === '\n') expect(shown).toBe('\\n');
      else if (char === '\r') expect(shown).toBe('\\r');
      else if (char === '\\') expect(shown).toBe('\\\\');
      else if (control) expect(shown).toBe(`\\x${code.toString(16).padStart(2, '0')}`);
      else expect(shown).toBe(char);
    }
    expect(escapeControls('{"a":"é ✓ 😀"}')).toBe('{"a":"é ✓ 😀"}');
    expect(escapeControls('\x1b]52;c;aGk=\x07')).toBe('\\x1b]52;c;aGk=\\x07');
  });

  it('escapes the bidi controls, the line and paragraph separators and invisible format characters (Trojan Source) as \\uXXXX; keeps the joiners', () => {
    const spoofing = [
      0x00ad, 0x061c, 0x180e, 0x200b, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
      0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0x206a, 0x206f, 0xfeff, 0xfff9,
      0xfffb,
    ];
    for (const code of spoofing) {
      expect(escapeControls(`a${String.fromCharCode(code)}b`)).toBe(
        `a\\u${code.toString(16).padStart(4, '0')}b`,
      );
    }
    // The classic: an override that shows `admin` reversed, closed by an isolate pop.
    expect(escapeControls('user \u202enimda\u2069 ok')).toBe('user \\u202enimda\\u2069 ok');
    // Zero width (non-)joiners render emoji sequences and scripts: kept.
    expect(escapeControls('👨\u200d👩 \u0645\u200c\u06cc')).toBe('👨\u200d👩 \u0645\u200c\u06cc');
  });

  it('escaped text holds no control but tab and reads back to the original', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const shown = escapeControls(text);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the test
        expect(shown).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/);
        expect(shown).not.toMatch(/[\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/);
        expect(readBack(shown)).toBe(text);
      }),
    );
  });

  it('escapes on a terminal by default, everywhere with --escape, nowhere with --raw', () => {
    expect(escapesFor('auto', true)).toBe(true);
    expect(escapesFor('auto', false)).toBe(false);
    expect(escapesFor('auto', undefined)).toBe(false);
    expect(escapesFor('always', false)).toBe(true);
    expect(escapesFor('never', true)).toBe(false);
    expect(terminalText('auto', true)('a\x1bb')).toBe('a\\x1bb');
    expect(terminalText('auto', false)('a\x1bb')).toBe('a\x1bb');
  });

  it('on a terminal that does not take UTF-8, every character beyond ASCII is escaped too, and reads back', () => {
    expect(escapeToAscii('\u011b2J é \x9b 😀 \ud800')).toBe('\\u011b2J \\u00e9 \\x9b \\U0001f600 \\ud800');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const shown = escapeToAscii(text);
        expect(shown).toMatch(/^[\t\x20-\x7e]*$/);
        expect(readBack(shown)).toBe(text);
      }),
    );
    expect(terminalText('auto', true, false)('é\x1b')).toBe('\\u00e9\\x1b');
    expect(terminalText('auto', true, true)('é\x1b')).toBe('é\\x1b');
    // On a pipe (--escape) the reader is a program: UTF-8 as it is, controls escaped.
    expect(terminalText('always', false, false)('é\x1b')).toBe('é\\x1b');
    expect(terminalText('never', true, false)('é\x1b')).toBe('é\x1b');
  });

  it('the locale says whether a terminal takes UTF-8 (LC_ALL, then LC_CTYPE, then LANG)', () => {
    expect(terminalTakesUtf8({ LANG: 'en_US.UTF-8' }, 'linux')).toBe(true);
    expect(terminalTakesUtf8({ LANG: 'C.utf8' }, 'linux')).toBe(true);
    expect(terminalTakesUtf8({ LC_ALL: 'de_DE.ISO-8859-1', LANG: 'en_US.UTF-8' }, 'linux')).toBe(false);
    expect(terminalTakesUtf8({ LC_CTYPE: 'UTF-8', LANG: 'C' }, 'darwin')).toBe(true);
    expect(terminalTakesUtf8({ LANG: 'C' }, 'linux')).toBe(false);
    expect(terminalTakesUtf8({}, 'linux')).toBe(false);
    expect(terminalTakesUtf8({}, 'win32')).toBe(true);
  });
});
