import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../helpers/example-copy.js';
import { readWorkflow, step } from './workflows.js';

/** The steps' own scripts, run for real: shell steps with bash, github-script steps with a fake `github`. */

const { workflow: checks } = readWorkflow('.github/workflows/synth-and-validate.yml');
const { workflow: report } = readWorkflow('.github/workflows/pr-report.yml');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edgefleet-steps-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

function bash(script: string, env: Record<string, string>, cwd = dir): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-e', '-c', script], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function outputs(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
}

describe('synth-and-validate.yml: count sites', () => {
  const run = step(checks, 'count').run!;
  const env = { SITES_PER_SHARD: String(checks.env?.SITES_PER_SHARD), MAX_SHARDS: String(checks.env?.MAX_SHARDS) };

  it.each([
    [0, 1],
    [8, 1],
    [200, 1],
    [201, 2],
    [1000, 5],
    [1601, 8],
  ])('%i sites → %i shard(s)', (sites, total) => {
    mkdirSync(join(dir, 'sites'));
    for (let i = 0; i < sites; i++) writeFileSync(join(dir, 'sites', `site-${i}.yaml`), '');
    writeFileSync(join(dir, 'sites', 'README.md'), ''); // not a site
    const out = join(dir, 'github-output');
    const r = bash(run, { ...env, GITHUB_OUTPUT: out });
    expect(r.status, r.stderr).toBe(0);
    expect(outputs(out)).toEqual({ total: String(total), matrix: JSON.stringify(Array.from({ length: total }, (_, i) => i + 1)) });
  });
});

describe('synth-and-validate.yml: record the pull request', () => {
  it('writes pr.json for pr-report.yml', () => {
    const s = step(checks, 'Record the pull request for pr-report.yml');
    const r = bash(s.run!, { RUNNER_TEMP: dir, PR_NUMBER: '42', HEAD_SHA: 'a'.repeat(40), MERGE_SHA: 'b'.repeat(40), SHARDS: '3' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'pr/pr.json'), 'utf8'))).toEqual({ number: 42, headSha: 'a'.repeat(40), mergeSha: 'b'.repeat(40), shards: 3 });
  });
});

describe('synth-and-validate.yml: merge SARIF', () => {
  const run = step(checks, 'Merge the shards into one run').run!;
  const shardLog = (site: string): string =>
    JSON.stringify({
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'edgefleet', rules: [{ id: 'schema' }] } }, results: [{ ruleId: 'schema', ruleIndex: 0, message: { text: `m (site ${site})` }, properties: { sites: [site], jsonPath: '' } }] }],
    });

  it('merges every shard into one run', () => {
    mkdirSync(join(dir, 'shards'));
    writeFileSync(join(dir, 'shards', 'shard-1.sarif'), shardLog('a'));
    writeFileSync(join(dir, 'shards', 'shard-2.sarif'), shardLog('b'));
    const r = bash(run, { RUNNER_TEMP: dir, TOTAL: '2' }, REPO_ROOT);
    expect(r.status, r.stderr).toBe(0);
    const merged = JSON.parse(readFileSync(join(dir, 'sarif/edgefleet.sarif'), 'utf8'));
    expect(merged.runs).toHaveLength(1);
    expect(merged.runs[0].results.map((x: { message: { text: string } }) => x.message.text)).toEqual(['m (2 sites: a, b)']);
  });

  it('uploads nothing when a shard is missing', () => {
    mkdirSync(join(dir, 'shards'));
    writeFileSync(join(dir, 'shards', 'shard-1.sarif'), shardLog('a'));
    const r = bash(run, { RUNNER_TEMP: dir, TOTAL: '2' }, REPO_ROOT);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('::error::1 of 2 shard SARIF files; not uploading a partial report');
  });
});

// ---- github-script steps -------------------------------------------------------------------------

interface Comment {
  id: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
}

function fakes(opts: { headSha?: string; parents?: string[]; comments?: Comment[] } = {}) {
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  const out: Record<string, string> = {};
  const log = { failed: [] as string[], notices: [] as string[], info: [] as string[] };
  const record = (method: string, data: unknown) => async (params: Record<string, unknown>) => {
    calls.push({ method, params });
    return { data };
  };
  const github = {
    rest: {
      pulls: { get: record('pulls.get', { head: { sha: opts.headSha ?? 'h'.repeat(40) } }) },
      repos: { getCommit: record('repos.getCommit', { parents: (opts.parents ?? ['p'.repeat(40), 'h'.repeat(40)]).map((sha) => ({ sha })) }) },
      issues: {
        listComments: record('issues.listComments', opts.comments ?? []),
        createComment: record('issues.createComment', {}),
        updateComment: record('issues.updateComment', {}),
      },
    },
    async paginate(fn: (p: Record<string, unknown>) => Promise<{ data: unknown }>, params: Record<string, unknown>) {
      return (await fn(params)).data;
    },
  };
  const core = {
    setFailed: (m: string) => log.failed.push(m),
    setOutput: (k: string, v: string) => (out[k] = v),
    notice: (m: string) => log.notices.push(m),
    info: (m: string) => log.info.push(m),
  };
  const context = { repo: { owner: 'acme', repo: 'fleet' } };
  return { github, core, context, calls, out, log };
}

/** Runs a github-script `script` as actions/github-script does: the body of an async function. */
async function runScript(script: string, f: ReturnType<typeof fakes>): Promise<void> {
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
  await new AsyncFunction('require', 'github', 'context', 'core', script)(createRequire(import.meta.url), f.github, f.context, f.core);
}

describe('pr-report.yml: check the pull request against the API', () => {
  const s = step(report, 'Check the pull request against the API');
  const script = String(s.with?.script);
  const HEAD = 'h'.repeat(40);
  const MERGE = 'c'.repeat(40);
  const prFile = (pr: unknown): void => {
    writeFileSync(join(dir, 'pr.json'), JSON.stringify(pr));
    vi.stubEnv('PR_FILE', join(dir, 'pr.json'));
    vi.stubEnv('HEAD_SHA', HEAD);
  };

  it('passes on the number and merge commit when the pull request head is the one checked', async () => {
    prFile({ number: 7, headSha: HEAD, mergeSha: MERGE, shards: 1 });
    const f = fakes();
    await runScript(script, f);
    expect(f.log.failed).toEqual([]);
    expect(f.out).toEqual({ number: '7', 'merge-sha': MERGE });
    expect(f.calls.map((c) => [c.method, c.params])).toEqual([
      ['pulls.get', { owner: 'acme', repo: 'fleet', pull_number: 7 }],
      ['repos.getCommit', { owner: 'acme', repo: 'fleet', ref: MERGE }],
    ]);
  });

  it('reports nothing when the pull request has moved on (or the artifact names another one)', async () => {
    prFile({ number: 7, mergeSha: MERGE });
    const f = fakes({ headSha: 'n'.repeat(40) });
    await runScript(script, f);
    expect(f.out).toEqual({});
    expect(f.log.failed).toEqual([]);
    expect(f.log.notices[0]).toContain('nothing to report');
  });

  it.each([
    [{ number: '7; rm -rf /', mergeSha: MERGE }, '"number" is not a pull request number'],
    [{ number: 0, mergeSha: MERGE }, '"number" is not a pull request number'],
    [{ number: 7, mergeSha: 'HEAD' }, '"mergeSha" is not a commit SHA'],
  ])('fails on a forged pr.json %j', async (pr, says) => {
    prFile(pr);
    const f = fakes();
    await runScript(script, f);
    expect(f.out).toEqual({});
    expect(f.log.failed.join('\n')).toContain(says);
    expect(f.calls).toEqual([]);
  });

  it('fails when the merge commit is not a merge of the checked head', async () => {
    prFile({ number: 7, mergeSha: MERGE });
    const f = fakes({ parents: ['p'.repeat(40), 'x'.repeat(40)] });
    await runScript(script, f);
    expect(f.out).toEqual({});
    expect(f.log.failed).toEqual([`pr.json: ${MERGE} is not a merge of ${HEAD}`]);
  });
});

describe('pr-report.yml: post or update the plan comment', () => {
  const script = String(step(report, 'Post or update the plan comment').with?.script);
  const MARKER = '<!-- edgefleet-plan -->';
  const bot = { login: 'github-actions[bot]', type: 'Bot' };
  const plan = (text: string): void => {
    writeFileSync(join(dir, 'plan.md'), text);
    vi.stubEnv('PLAN_FILE', join(dir, 'plan.md'));
    vi.stubEnv('PR_NUMBER', '7');
    vi.stubEnv('RUN_URL', 'https://github.example/acme/fleet/actions/runs/1');
  };
  const mutations = (f: ReturnType<typeof fakes>) => f.calls.filter((c) => c.method !== 'issues.listComments');

  it('creates the comment, with the marker, when there is none', async () => {
    plan('## Plan\n\n1 site changes\n');
    const f = fakes({ comments: [{ id: 1, body: 'LGTM', user: { login: 'alice', type: 'User' }, html_url: '' }] });
    await runScript(script, f);
    expect(mutations(f)).toEqual([{ method: 'issues.createComment', params: { owner: 'acme', repo: 'fleet', issue_number: 7, body: `${MARKER}\n## Plan\n\n1 site changes\n` } }]);
  });

  it('updates its own comment in place on the next push', async () => {
    plan('## Plan\n\n2 sites change\n');
    const f = fakes({ comments: [{ id: 5, body: `${MARKER}\n## Plan\n\n1 site changes\n`, user: bot, html_url: 'u' }] });
    await runScript(script, f);
    expect(mutations(f)).toEqual([{ method: 'issues.updateComment', params: { owner: 'acme', repo: 'fleet', comment_id: 5, body: `${MARKER}\n## Plan\n\n2 sites change\n` } }]);
  });

  it('leaves an unchanged comment alone, and a human comment quoting the marker', async () => {
    plan(`${MARKER}\n## Plan\n`); // a plan that carries the marker itself gets it once
    const f = fakes({
      comments: [
        { id: 4, body: `quoting ${MARKER}`, user: { login: 'alice', type: 'User' }, html_url: '' },
        { id: 5, body: `${MARKER}\n## Plan\n`, user: bot, html_url: 'u' },
      ],
    });
    await runScript(script, f);
    expect(mutations(f)).toEqual([]);
    expect(f.log.info).toEqual(['the plan comment is up to date']);
  });

  it('cuts a plan longer than a comment can be, and says where the whole plan is', async () => {
    plan(`## Plan\n${'x'.repeat(100_000)}\n`);
    const f = fakes();
    await runScript(script, f);
    const body = String(mutations(f)[0]!.params.body);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith(`${MARKER}\n## Plan\n`)).toBe(true);
    expect(body).toContain('(cut: the whole plan is in the summary of https://github.example/acme/fleet/actions/runs/1)');
  });
});
