/**
 * Resource usage of a measured child, from GNU time (`/usr/bin/time -o FILE -f FORMAT`). GNU time gets it
 * from wait4(2) when the child is reaped, so it covers the whole process from exec to exit (Node start-up,
 * module loading, teardown) and, for CPU, the descendants the child waited for (validate's and plan's
 * kubectl and git runs); %M is the kernel's maximum resident set of the process (or of a descendant, if
 * larger), not the JS heap.
 */
export const GNU_TIME = '/usr/bin/time';
/** elapsed seconds, user CPU seconds, system CPU seconds, max RSS in KiB. */
export const TIME_FORMAT = '%e %U %S %M';

export interface Rusage {
  readonly elapsedS: number;
  readonly userS: number;
  readonly systemS: number;
  readonly maxRssKiB: number;
}

const LINE = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/;

/**
 * Parses what GNU time wrote with TIME_FORMAT. It prefixes a line such as "Command exited with non-zero
 * status 1" or "Command terminated by signal 9" when the child did not exit cleanly; the figures are on
 * the last line.
 */
export function parseTimeOutput(text: string): Rusage {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const last = lines.at(-1) ?? '';
  const m = LINE.exec(last);
  if (!m) throw new Error(`unexpected GNU time output: ${JSON.stringify(text)}`);
  return { elapsedS: Number(m[1]), userS: Number(m[2]), systemS: Number(m[3]), maxRssKiB: Number(m[4]) };
}
