import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { GNU_TIME, TIME_FORMAT, parseTimeOutput } from './rusage.js';

/** One measured child process. */
export interface Sample {
  /** Wall time from spawn to exit as the parent sees it: process start and teardown included. */
  readonly wallS: number;
  /** User + system CPU of the child and the descendants it waited for (kubectl, git). */
  readonly cpuS: number;
  /** The system (kernel) part of cpuS: file system work, page faults, process spawns. */
  readonly sysS: number;
  readonly maxRssKiB: number;
  readonly exitCode: number;
}

export interface MeasureOptions {
  /** Arguments to node (the script first). */
  readonly nodeArgs: readonly string[];
  readonly cwd: string;
  /** The child's stdout and stderr go to these files, never through a pipe into this process. */
  readonly stdoutFile: string;
  readonly stderrFile: string;
  /** Where GNU time writes its line (deleted after reading). */
  readonly timeFile: string;
}

/** Child environment: no NODE_OPTIONS (a preload would be measured too), no colour. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.NODE_OPTIONS;
  return env;
}

/** Runs `node ...nodeArgs` under GNU time; resolves when the child has exited. */
export function measure(options: MeasureOptions): Promise<Sample> {
  const out = openSync(options.stdoutFile, 'w');
  const err = openSync(options.stderrFile, 'w');
  return new Promise<Sample>((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(GNU_TIME, ['-o', options.timeFile, '-f', TIME_FORMAT, process.execPath, ...options.nodeArgs], { cwd: options.cwd, env: childEnv(), stdio: ['ignore', out, err] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const wallS = (performance.now() - started) / 1000;
      closeSync(out);
      closeSync(err);
      try {
        const usage = parseTimeOutput(readFileSync(options.timeFile, 'utf8'));
        rmSync(options.timeFile, { force: true });
        resolvePromise({ wallS, cpuS: usage.userS + usage.systemS, sysS: usage.systemS, maxRssKiB: usage.maxRssKiB, exitCode: code ?? (signal ? 128 : 1) });
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}
