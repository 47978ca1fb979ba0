import type { Io } from './exit.js';

/**
 * Progress on a TTY for runs longer than a second; silent otherwise (CI logs and pipes stay clean).
 */
export function progress(io: Io, command: string): ((step: string) => void) & { done(): void } {
  const start = Date.now();
  const tty = io.stderr.isTTY === true;
  let shown = false;
  let last = 0;
  const tick = ((step: string): void => {
    const now = Date.now();
    // Redraw at most ten times a second: the terminal is not the bottleneck we want.
    if (!tty || now - start < 1000 || now - last < 100) return;
    shown = true;
    last = now;
    io.stderr.write(`\r${command}: ${step}\x1b[K`);
  }) as ((step: string) => void) & { done(): void };
  tick.done = () => {
    if (shown) io.stderr.write('\r\x1b[K');
    shown = false;
  };
  return tick;
}
