/**
 * `linkvisor connect` against a hostile server, through the real binary: a message and a close
 * reason full of terminal controls (OSC 52 clipboard write, window title, clear screen, a C1 CSI,
 * DEL, bell, a newline faking a `* ` line). On a real terminal (a pseudo-terminal from util-linux's
 * `script`) nothing of it reaches the terminal unescaped; on a pipe the bytes are the server's;
 * --escape and --raw force either way.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { exitCode, HAS_SCRIPT, startCli, startInTerminal } from './helpers.js';

const HOSTILE =
  '\x1b]52;c;aGVsbG8=\x07\x1b]0;pwned\x07\x1b[2J\x9b31m\x7fbell\x07\ttab\r\n* connected to ws://evil \\x1b';
/** HOSTILE as a terminal shows it: one line, every control an escape, the backslash doubled. */
const HOSTILE_SHOWN =
  '\\x1b]52;c;aGVsbG8=\\x07\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\x7fbell\\x07\ttab\\r\\n* connected to ws://evil \\\\x1b';
const REASON = '\x1b[8mhidden\x1b[0m\n* fake lifecycle';
const REASON_SHOWN = '\\x1b[8mhidden\\x1b[0m\\n* fake lifecycle';

/** A control character a terminal would act on (tab and the line ends a terminal adds aside). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the test
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('cli: server text and the terminal', () => {
  const h = useHarness();

  /** A server that sends HOSTILE, then closes with 1008 (fatal: the client exits 1) and REASON. */
  const hostile = () =>
    h.wsServer({
      onConnection: (ws) => {
        ws.send(HOSTILE);
        ws.close(1008, REASON);
      },
    });

  /** Runs the binary on a pseudo-terminal until it exits: what the terminal got, the exit code. */
  async function inTerminal(args: string[]): Promise<{ screen: string; code: number | string }> {
    const terminal = startInTerminal(h, args);
    let code: number | string | undefined;
    void terminal.exited.then((value) => {
      code = value;
    });
    await waitFor(() => code !== undefined, {
      timeoutMs: 30_000,
      message: `exit (screen: ${JSON.stringify(terminal.screen)})`,
    });
    return { screen: terminal.screen, code: code as number | string };
  }

  it.skipIf(!HAS_SCRIPT)(
    'on a terminal: every control is shown escaped, on stdout and stderr; no line is faked',
    async () => {
      const server = await hostile();
      const { screen, code } = await inTerminal(['connect', server.url, '--no-stdin']);
      expect(code, screen).toBe(1);
      expect(screen).not.toMatch(CONTROL);
      const lines = screen.split('\n');
      expect(lines).toContain(`< ${HOSTILE_SHOWN}`);
      expect(screen).toContain(`* failed: closed with code 1008: ${REASON_SHOWN}\n`);
      expect(lines.filter((line) => line.startsWith('* connected to ws://evil'))).toEqual([]);
      expect(lines.filter((line) => line.startsWith('* fake'))).toEqual([]);
    },
  );

  it.skipIf(!HAS_SCRIPT)(
    'on a terminal with --raw: the text as the server sent it (what escaping prevents)',
    async () => {
      const server = await hostile();
      const { screen, code } = await inTerminal(['connect', server.url, '--no-stdin', '--raw']);
      expect(code, screen).toBe(1);
      expect(screen).toContain('< \x1b]52;c;aGVsbG8=\x07\x1b]0;pwned\x07\x1b[2J');
      expect(screen).toContain(`* failed: closed with code 1008: ${REASON}\n`);
      // The newline of the close reason made a line that looks like the client's own.
      expect(screen.split('\n')).toContain('* fake lifecycle');
    },
  );

  it('on a pipe: the bytes as the server sent them (scripts); with --escape: escaped there too', async () => {
    const server = await hostile();
    const raw = startCli(h, ['connect', server.url, '--no-stdin']);
    expect(await exitCode(raw), raw.stderr).toBe(1);
    expect(raw.stdout).toBe(`${HOSTILE}\n`);
    expect(raw.stderr).toContain(`* failed: closed with code 1008: ${REASON}\n`);

    const escaped = startCli(h, ['connect', server.url, '--no-stdin', '--escape']);
    expect(await exitCode(escaped), escaped.stderr).toBe(1);
    expect(escaped.stdout).toBe(`${HOSTILE_SHOWN}\n`);
    expect(escaped.stderr).not.toMatch(CONTROL);
    expect(escaped.stderr).toContain(`* failed: closed with code 1008: ${REASON_SHOWN}\n`);
  });

  it.skipIf(!HAS_SCRIPT)(
    'on an 8-bit terminal (a Latin-1 locale): no byte a terminal reads as a C1 control, though UTF-8 text is full of them',
    async () => {
      // ě is C4 9B in UTF-8: an 8-bit terminal (xterm, the Linux console, Latin-1) reads 9B as CSI;
      // ĝ (C4 9D) is OSC, Ĝ (C4 9C) its terminator: a clear screen and a clipboard write.
      const server = await h.wsServer({
        onConnection: (ws) => {
          ws.send('\u011b2J \u011d52;c;aGk=\u011c é');
          ws.close(1008, 'bye \u011b2J');
        },
      });
      const env = { ...process.env, LANG: 'en_US.ISO-8859-1', LC_ALL: '', LC_CTYPE: '' };
      const terminal = startInTerminal(h, ['connect', server.url, '--no-stdin'], env);
      expect(await terminal.exited, terminal.screen).toBe(1);
      expect([...terminal.bytes].filter((byte) => byte >= 0x80 && byte <= 0x9f)).toEqual([]);
      expect(terminal.screen).toContain('< \\u011b2J \\u011d52;c;aGk=\\u011c \\u00e9\n');
      expect(terminal.screen).toContain('* failed: closed with code 1008: bye \\u011b2J\n');
    },
  );

  it.skipIf(!HAS_SCRIPT)(
    'on a UTF-8 terminal: bidi controls, line separators and invisible characters are shown escaped (Trojan Source); other text as it is',
    async () => {
      // An override shows `nimda` as `admin`; an isolate that never ends and a paragraph separator
      // would carry over to the client's next line.
      const message = 'user \u202enimda\u202c é \u2066\u200f\u061c\u200b\ufeff\u2028* connected to ws://evil';
      const reason = 'bye \u2067\u2029* fake';
      const server = await h.wsServer({
        onConnection: (ws) => {
          ws.send(message);
          ws.close(1008, reason);
        },
      });
      const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_CTYPE: '' };
      const terminal = startInTerminal(h, ['connect', server.url, '--no-stdin'], env);
      expect(await terminal.exited, terminal.screen).toBe(1);
      const screen = terminal.screen;
      expect(screen).not.toMatch(/[\u00ad\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2069\ufeff]/);
      expect(screen).toContain(
        '< user \\u202enimda\\u202c é \\u2066\\u200f\\u061c\\u200b\\ufeff\\u2028* connected to ws://evil\n',
      );
      expect(screen).toContain('* failed: closed with code 1008: bye \\u2067\\u2029* fake\n');
    },
  );
});
