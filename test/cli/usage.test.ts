import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, useTempRepos } from '../helpers/temp-repo.js';

describe('command line usage', () => {
  const tempRepo = useTempRepos();

  const usageErrors: [string, string[], string][] = [
    ['unknown flag', ['synth', '--frobnicate'], "Unknown option '--frobnicate'"],
    ['unknown flag for bootstrap', ['bootstrap', 'lyon-pos-01', '--frobnicate'], "Unknown option '--frobnicate'"],
    ['a positional argument to synth', ['synth', 'lyon-pos-01'], 'lyon-pos-01'],
    ['--site with an unknown site', ['synth', '--site', 'nope'], 'unknown site(s): nope'],
    ['--site with one known and one unknown site', ['synth', '--site', 'lyon-pos-01', '--site', 'nope'], 'unknown site(s): nope'],
    ['--site /x', ['synth', '--site', '/x'], 'unknown site(s): /x'],
    ['--site under --check', ['synth', '--check', '--site', 'nope'], 'unknown site(s): nope'],
    ['--fleet without a value', ['synth', '--fleet'], "Option '--fleet <value>' argument missing"],
    ['unknown command', ['synthesize'], 'unknown command "synthesize"'],
    ['a mistyped command', ['synht'], 'unknown command "synht" (did you mean "synth"?)'],
    ['help for an unknown command', ['help', 'valdate'], 'no help for unknown command "valdate" (did you mean "validate"?)'],
    ['--site with a mistyped site', ['synth', '--site', 'lyon-pos-1'], 'unknown site(s): lyon-pos-1 (did you mean "lyon-pos-01"?)'],
    ['--site with a mistyped site under --check', ['synth', '--check', '--site', 'ohio-gw-2'], 'unknown site(s): ohio-gw-2 (did you mean "ohio-gw-02"?)'],
    ['validate --site with a mistyped site', ['validate', '--site', 'lyon-pos-1'], 'unknown site(s): lyon-pos-1 (did you mean "lyon-pos-01"?)'],
    ['bootstrap of a mistyped site', ['bootstrap', 'ohio-gw-2'], 'unknown site "ohio-gw-2" (did you mean "ohio-gw-02"?)'],
    ['bootstrap of an unknown site', ['bootstrap', 'nope'], 'unknown site "nope"'],
    ['bootstrap ../x', ['bootstrap', '../x'], 'unknown site "../x"'],
    ['bootstrap without a site', ['bootstrap'], 'bootstrap takes exactly one site name'],
    ['bootstrap with two sites', ['bootstrap', 'lyon-pos-01', 'ohio-gw-02'], 'bootstrap takes exactly one site name'],
  ];
  for (const [what, argv, message] of usageErrors) {
    it(`${what} is a usage error (exit 2), writes nothing`, async () => {
      const repo = tempRepo();
      const before = repo.snapshot();
      const r = await repo.run(argv);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('usage: edgefleet <command>');
      expect(repo.snapshot()).toEqual(before);
    });
  }

  it('no command prints the usage and exits 2; help exits 0', async () => {
    const repo = tempRepo();
    const none = await repo.run([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('usage: edgefleet');
    const help = await repo.run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('exit codes: 0 ok · 1 drift or findings at error severity · 2 usage, bad input or internal error');
    const word = await repo.run(['help']);
    expect(word.code).toBe(0);
    expect(word.stdout).toBe(help.stdout);
  });

  const flags: Record<string, string[]> = {
    synth: ['--fleet', '--out', '--site', '--changed-since', '--check', '--json', '--validate', '--format', '--now'],
    validate: ['--fleet', '--root', '--site', '--format', '--now', '--shard', '--changed-since'],
    plan: ['--base', '--head', '--format', '--fleet', '--changed-since'],
    bootstrap: ['--fleet'],
  };
  for (const [command, expected] of Object.entries(flags)) {
    it(`${command} --help lists its flags on stdout and exits 0`, async () => {
      const repo = tempRepo();
      for (const argv of [[command, '--help'], [command, '-h'], ['help', command], [command, '--site', 'nope', '--help']]) {
        const r = await repo.run(argv);
        expect(r.code, argv.join(' ')).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.stdout).toContain(`usage: edgefleet ${command}`);
        for (const flag of expected) expect(r.stdout).toContain(`  ${flag}`);
        for (const other of Object.keys(flags).filter((c) => c !== command)) expect(r.stdout).not.toContain(`usage: edgefleet ${other}`);
      }
    });
  }

  it('--version prints the package version', async () => {
    const repo = tempRepo();
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await repo.run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`edgefleet ${version}\n`);
  });

  it('a site name far from every known one gets no suggestion', async () => {
    const repo = tempRepo();
    const r = await repo.run(['bootstrap', 'zzzzzzzz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown site "zzzzzzzz"\n');
    expect(r.stderr).not.toContain('did you mean');
  });
});

describe('bootstrap <site>', () => {
  const tempRepo = useTempRepos();

  it('prints flux bootstrap git for the site with its network profile source interval (intermittent: 15m)', async () => {
    const repo = tempRepo();
    const r = await repo.run(['bootstrap', 'ohio-gw-02']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n').map((l) => l.replace(/ \\$/, '').trim());
    const start = lines.indexOf('flux bootstrap git');
    expect(start).toBeGreaterThanOrEqual(0);
    const flags = lines.slice(start + 1, lines.indexOf('', start));
    expect(flags).toContain("--path='clusters/ohio-gw-02'");
    expect(flags).toContain("--interval='15m'");
    expect(flags).toContain("--url='ssh://git@git.example.com/platform/edgefleet.git'");
    expect(flags).toContain("--branch='main'");
    expect(flags).toContain("--version='v2.6.4'");
    expect(r.stdout).toContain('k0s install controller');
  });

  it.each([
    ['lyon-pos-01', '1m'],
    ['berlin-kiosk-03', '1h'],
    ['rotterdam-gw-01', '15m'],
  ])('%s polls at its profile sourceInterval %s', async (site, interval) => {
    const repo = tempRepo();
    const r = await repo.run(['bootstrap', site]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  --path='clusters/${site}' \\\n`);
    expect(r.stdout).toContain(`  --interval='${interval}' \\\n`);
  });

  it('follows a changed profile in fleet.yaml', async () => {
    const repo = tempRepo();
    repo.edit('fleet.yaml', 'sourceInterval: 15m', 'sourceInterval: 20m');
    const r = await repo.run(['bootstrap', 'ohio-gw-02']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--interval='20m'");
  });

  it('labels a GPU node at install', async () => {
    const repo = tempRepo();
    const r = await repo.run(['bootstrap', 'fra-inference-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--node-label 'nvidia.com/gpu.present=true'");
  });

  it('works with --fleet from another directory', async () => {
    const repo = tempRepo({ prefix: 'other' });
    const r = await repo.run(['bootstrap', '--fleet', 'other/fleet.yaml', 'ohio-gw-02']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("--interval='15m'");
  });

  it('multi-node sites: the first node installs the server, the others join with a token', async () => {
    const repo = tempRepo();
    const r = await repo.run(['bootstrap', 'oslo-gw-03']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('3 node(s)');
    expect(r.stdout).toMatch(/k0s token create --role=worker|K3S_TOKEN=/);
  });

  it('installs the runtime and Flux versions fleet.yaml pins', async () => {
    const repo = tempRepo();
    repo.edit('fleet.yaml', '    k0s:\n      storageClass:', "    k0s:\n      version: v1.32.6+k0s.0\n      storageClass:");
    repo.edit('fleet.yaml', '    strictPostBuildSubstitutions: true', '    strictPostBuildSubstitutions: true\n    version: v2.5.1');
    const r = await repo.run(['bootstrap', 'ohio-gw-02']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("K0S_VERSION='v1.32.6+k0s.0' sh");
    expect(r.stdout).toContain("--version='v2.5.1'");
    expect(r.stdout).toContain("FLUX_VERSION='2.5.1' bash");
  });

  it('a source URL with $(…) and a quote is printed as one literal word', async () => {
    const repo = tempRepo();
    const url = `ssh://git@git.example.com/x$(touch$IFS${repo.abs('pwned')})'q.git`;
    repo.edit('fleet.yaml', 'url: ssh://git@git.example.com/platform/edgefleet.git', `url: "${url}"`);
    const r = await repo.run(['bootstrap', 'ohio-gw-02']);
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('--url='))!.replace(/ \\$/, '');
    execFileSync('bash', ['-n'], { input: r.stdout });
    expect(execFileSync('bash', ['-c', `printf %s ${line}`], { cwd: repo.dir, encoding: 'utf8' })).toBe(`--url=${url}`);
    expect(repo.exists('pwned')).toBe(false);
  });

  it.each([['a space', 'ssh://git@host/a b.git'], ['a backtick', 'ssh://git@host/`id`.git'], ['a backslash', 'https://host/a\\\\b']])('a source URL with %s is rejected by the fleet schema', async (_, url) => {
    const repo = tempRepo();
    repo.edit('fleet.yaml', 'url: ssh://git@git.example.com/platform/edgefleet.git', `url: ${JSON.stringify(url)}`);
    const r = await repo.run(['bootstrap', 'ohio-gw-02']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('spec.source.url');
  });

  it('refuses bad input with exit 2', async () => {
    const repo = tempRepo();
    repo.edit('sites/ohio-gw-02.yaml', 'memory: 4Gi', 'memory: 4GB');
    const r = await repo.run(['bootstrap', 'ohio-gw-02']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: ${repo.at('sites/ohio-gw-02.yaml', 'memory: ^4GB')}: spec.hardware.memory: expected a Kubernetes quantity`);
  });
});
