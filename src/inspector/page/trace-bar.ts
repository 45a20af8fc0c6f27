/**
 * The trace controls in the top bar. Live: "open trace…" (a file picker; a .jsonl file dropped
 * anywhere on the page does the same) and "● record" / "■ save trace", which records what the
 * server's supervisor does while this page asks and downloads it as JSON Lines. In a trace: back
 * and forward (buttons, ← / →), a scrubber, "step N" to jump to, what moved at that step, "follow"
 * (select the actor that moves at each step) and "live" to go back.
 */
import { h } from './dom.js';

export interface TraceBarView {
  element: HTMLElement;
  /** Live mode; `canRecord` when the server has a supervisor to record. */
  showLive(canRecord: boolean): void;
  showTrace(name: string, length: number): void;
  showStep(n: number, text: string): void;
  setRecording(on: boolean): void;
  /** Select the actor that moves at each step. */
  following(): boolean;
  setFollowing(on: boolean): void;
}

export function createTraceBar(options: {
  open(file: File): void;
  step(n: number): void;
  leave(): void;
  record(on: boolean): void;
}): TraceBarView {
  const file = h('input', {
    type: 'file',
    accept: '.jsonl,.json,application/jsonl,text/plain',
    hidden: true,
  });
  const openButton = h('button', { type: 'button', class: 'open-trace' }, 'open trace…');
  const recordButton = h('button', { type: 'button', class: 'record', hidden: true }, '● record');
  const back = h('button', { type: 'button', class: 'step-back', 'aria-label': 'previous step' }, '◀');
  const forward = h('button', { type: 'button', class: 'step-forward', 'aria-label': 'next step' }, '▶');
  const scrubber = h('input', {
    type: 'range',
    class: 'scrubber',
    min: 0,
    max: 0,
    value: 0,
    'aria-label': 'step',
  });
  const stepInput = h('input', {
    type: 'number',
    class: 'step-input',
    min: 0,
    value: 0,
    'aria-label': 'go to step',
  });
  const total = h('span', { class: 'step-total' });
  const info = h('span', { class: 'step-info' });
  const follow = h('input', { type: 'checkbox', class: 'follow', checked: true });
  const leave = h('button', { type: 'button', class: 'leave-trace' }, 'live');
  const title = h('span', { class: 'trace-name' });
  const player = h(
    'span',
    { class: 'player', hidden: true },
    title,
    back,
    scrubber,
    forward,
    h('label', {}, 'step ', stepInput),
    total,
    h('label', { class: 'toggle-follow' }, follow, ' follow'),
    leave,
    info,
  );
  const element = h('span', { class: 'trace-bar' }, file, openButton, recordButton, player);

  let length = 0;
  let at = 0;
  let recording = false;
  const go = (n: number) => {
    if (length > 0) options.step(Math.max(0, Math.min(length - 1, Math.round(n))));
  };

  openButton.addEventListener('click', () => file.click());
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (chosen) options.open(chosen);
    file.value = '';
  });
  document.addEventListener('dragover', (event) => event.preventDefault());
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    const dropped = event.dataTransfer?.files[0];
    if (dropped) options.open(dropped);
  });
  recordButton.addEventListener('click', () => options.record(!recording));
  back.addEventListener('click', () => go(at - 1));
  forward.addEventListener('click', () => go(at + 1));
  scrubber.addEventListener('input', () => go(Number(scrubber.value)));
  stepInput.addEventListener('change', () => go(Number(stepInput.value)));
  leave.addEventListener('click', () => options.leave());
  document.addEventListener('keydown', (event) => {
    if (player.hidden || (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight')) return;
    const target = event.target as HTMLElement | null;
    if (target?.matches('input, select, textarea')) return;
    event.preventDefault();
    go(at + (event.key === 'ArrowLeft' ? -1 : 1));
  });

  return {
    element,
    showLive(canRecord) {
      player.hidden = true;
      openButton.hidden = false;
      recordButton.hidden = !canRecord;
      document.body.dataset.mode = 'live';
    },
    showTrace(name, steps) {
      length = steps;
      player.hidden = false;
      recordButton.hidden = true;
      title.textContent = name;
      title.title = name;
      scrubber.max = String(Math.max(0, steps - 1));
      stepInput.max = String(Math.max(0, steps - 1));
      total.textContent = `of ${steps - 1}`;
      document.body.dataset.mode = 'trace';
    },
    showStep(n, text) {
      at = n;
      scrubber.value = String(n);
      stepInput.value = String(n);
      back.disabled = n <= 0;
      forward.disabled = n >= length - 1;
      info.textContent = text;
      info.title = text;
      document.body.dataset.step = String(n);
    },
    setRecording(on) {
      recording = on;
      recordButton.textContent = on ? '■ save trace' : '● record';
      recordButton.classList.toggle('on', on);
      document.body.dataset.recording = String(on);
    },
    following: () => follow.checked,
    setFollowing(on) {
      follow.checked = on;
    },
  };
}
