import { InputError, type InputProblem } from '../../util/errors.js';

export interface BuildProblem extends InputProblem {
  /**
   * True when the build could not be checked rather than being wrong (a remote base: kustomize-controller
   * would fetch it, edgefleet builds offline). Mirrors kubeconform's "error" next to "invalid".
   */
  readonly cannotCheck?: boolean;
}

/**
 * The build of a Flux Kustomization fails, as it would in kustomize-controller: a missing path or file, a
 * reference outside the repository, an invalid kustomization, a patch that does not apply. Every problem
 * carries a file relative to the repository root, a line and a column.
 */
export class BuildError extends InputError {
  // InputError stores the (sorted) problems; `declare` only narrows their type.
  declare readonly problems: readonly BuildProblem[];
  constructor(problems: readonly BuildProblem[]) {
    super(problems);
    this.name = 'BuildError';
  }
  get file(): string {
    return this.problems[0]?.file ?? '';
  }
  get line(): number {
    return this.problems[0]?.line ?? 1;
  }
  get column(): number {
    return this.problems[0]?.column ?? 1;
  }
}

/** kustomize itself refused the build; `kustomizeMessage` is its message with paths made repository-relative. */
export class KustomizeError extends BuildError {
  readonly kustomizeMessage: string;
  constructor(problem: BuildProblem, kustomizeMessage: string) {
    super([problem]);
    this.name = 'KustomizeError';
    this.kustomizeMessage = kustomizeMessage;
  }
}

export const KUBECTL_ENV = 'EDGEFLEET_KUBECTL';

/** The environment lacks kubectl: nothing is wrong with the input, the build cannot run here. */
export class KubectlNotFoundError extends Error {
  readonly command: string;
  constructor(command: string, options?: { cause?: unknown }) {
    super(
      [
        `cannot run kubectl ('${command}'): not found or not executable. The Flux build needs kubectl with kustomize v5.`,
        'Install it, for example:',
        '  Debian/Ubuntu: add the Kubernetes apt repository (https://pkgs.k8s.io/core:/stable:/v1.32/deb/) and run `apt-get install kubectl`',
        '  macOS: `brew install kubectl`',
        '  any Linux: download https://dl.k8s.io/release/v1.32.4/bin/linux/amd64/kubectl, `chmod +x` it and put it on PATH',
        `or point ${KUBECTL_ENV} at a kubectl binary: ${KUBECTL_ENV}=/path/to/kubectl`,
      ].join('\n'),
      options,
    );
    this.name = 'KubectlNotFoundError';
    this.command = command;
  }
}
