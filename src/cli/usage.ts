import { FORMATS } from '../report/formatters/index.js';

/** The commands `edgefleet` knows, in the order the usage lists them. */
export const COMMANDS = ['synth', 'validate', 'plan', 'bootstrap'] as const;
export type Command = (typeof COMMANDS)[number];

const EXIT_CODES = 'exit codes: 0 ok · 1 drift or findings at error severity · 2 usage, bad input or internal error\n';

export const USAGE = `usage: edgefleet <command> [options]
       edgefleet <command> --help | edgefleet help <command> | edgefleet --version

commands:
  synth [--fleet fleet.yaml] [--out DIR] [--site NAME]... [--changed-since REF] [--check] [--json]
        [--validate [--format F] [--now YYYY-MM-DD]]
      render every site's Flux tree into clusters/<site>/ (--check: exit 1 if clusters/ differs;
      --validate: then validate the same sites in the same process, as \`validate\` would)
  validate [PATH]... [--fleet fleet.yaml] [--root DIR] [--site NAME]... [--format ${FORMATS.join('|')}]
           [--now YYYY-MM-DD] [--shard I/N] [--changed-since REF]
      check the repository as the sites will see it: drift, strict schemas, references, and every
      Flux Kustomization built with kustomize and substituted per site; with PATHs, check those
      manifests (resolved from the git top level, or --root)
  plan --base REF [--head REF] [--format text|json|markdown] [--fleet fleet.yaml] [--changed-since REF]
      what each site would apply differently at the working tree (or --head) than at REF, and what
      every site's Flux source downloads for the new commit
  bootstrap <site> [--fleet fleet.yaml]
      print the commands that install a site's runtime and bootstrap Flux for it

${EXIT_CODES}`;

const FLEET = '  --fleet FILE          the inventory (default: fleet.yaml)';
const CHANGED = '  --changed-since REF   only the sites a change since git REF can affect';

/** `edgefleet <command> --help`: what the command does and every flag it takes. */
export const COMMAND_HELP: Readonly<Record<Command, string>> = {
  synth: `usage: edgefleet synth [options]

Render every site's Flux tree into clusters/<site>/ (written atomically).

options:
${FLEET}
  --out DIR             where to write (default: clusters/ beside the fleet file)
  --site NAME           only this site (repeatable)
${CHANGED}
  --check               write nothing; exit 1 if clusters/ differs from a fresh synth
  --json                a JSON summary (with --check: the files that differ)
  --validate            then validate the same sites in the same process
  --format F            report format for --validate: ${FORMATS.join('|')} (default: text)
  --now YYYY-MM-DD      today, for waiver expiry under --validate (default: the UTC date)
  -h, --help            this help

${EXIT_CODES}`,
  validate: `usage: edgefleet validate [PATH]... [options]

Check the repository as the sites will see it: drift, strict schemas, references, every Flux
Kustomization built with kustomize and substituted per site, and the policy rules. With PATHs,
check those manifests only (resolved from the git top level, or --root).

options:
${FLEET}
  --root DIR            resolve PATHs (and the repository) from DIR
  --site NAME           only this site (repeatable)
  --format F            ${FORMATS.join('|')} (default: text)
  --now YYYY-MM-DD      today, for waiver expiry (default: the UTC date)
  --shard I/N           only the I-th of N balanced slices of the sites (CI matrices)
${CHANGED}
  -h, --help            this help

${EXIT_CODES}`,
  plan: `usage: edgefleet plan --base REF [options]

What each site would apply differently at the working tree (or --head) than at REF, and what every
site's Flux source downloads for the new commit.

options:
  --base REF            the commit to compare with, e.g. origin/main (required)
  --head REF            compare this commit instead of the working tree
  --format F            text|json|markdown (default: text)
${FLEET}
${CHANGED}
  -h, --help            this help

exit codes: 0 ok · 1 a changed site fails to build · 2 usage, bad input or internal error
`,
  bootstrap: `usage: edgefleet bootstrap <site> [options]

Print the shell commands (for root on the site's nodes) that install the site's runtime — server on
the first node, join commands for the others — and bootstrap Flux pointed at clusters/<site>/.

options:
${FLEET}
  -h, --help            this help

${EXIT_CODES}`,
};

export function isCommand(word: string): word is Command {
  return (COMMANDS as readonly string[]).includes(word);
}
