import type { Io } from './exit.js';

/**
 * Progress on a TTY for runs longer than a second; silent otherwise (CI logs and pipes stay clean).
 */
export function progress(io: Io, command: string): ((step: string) => void) & { done(): void } {
  const start = Date.now();
  const tty = io.stderr.isTTY === true;
  let shown = false;
  const tick = ((step: string): void => {
    if (!tty || Date.now() - start < 1000) return;
    shown = true;
    io.stderr.write(`\r${command}: ${step}…\x1b[K`);
  }) as ((step: string) => void) & { done(): void };
  tick.done = () => {
    if (shown) io.stderr.write('\r\x1b[K');
  };
  return tick;
}
