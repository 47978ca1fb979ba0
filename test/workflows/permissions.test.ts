import { describe, expect, it } from 'vitest';
import { readWorkflow, steps, workflowFiles, type Job, type Workflow } from './workflows.js';

const { workflow: checks, text: checksText } = readWorkflow('.github/workflows/synth-and-validate.yml');
const { workflow: report, text: reportText } = readWorkflow('.github/workflows/pr-report.yml');
const { workflow: ci } = readWorkflow('.github/workflows/ci.yml');

function writes(permissions: Job['permissions'] | Workflow['permissions']): string[] {
  if (permissions === undefined) return [];
  if (typeof permissions === 'string') return permissions === 'write-all' ? ['write-all'] : [];
  return Object.entries(permissions)
    .filter(([, level]) => level === 'write')
    .map(([scope]) => scope)
    .sort();
}

function uploadedArtifacts(workflow: Workflow): string[] {
  return steps(workflow)
    .filter((s) => s.uses?.startsWith('actions/upload-artifact@'))
    .map((s) => String(s.with?.name));
}

describe('synth-and-validate.yml (pull_request, read-only)', () => {
  it('runs on pull_request only, never pull_request_target', () => {
    expect(Object.keys(checks.on)).toEqual(['pull_request']);
  });

  it('has contents: read at the workflow level and no write permission anywhere', () => {
    expect(checks.permissions).toEqual({ contents: 'read' });
    for (const [id, job] of Object.entries(checks.jobs)) expect(writes(job.permissions), id).toEqual([]);
  });

  it('does not leave the token in the checkouts', () => {
    const checkouts = steps(checks).filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const s of checkouts) expect(s.with?.['persist-credentials']).toBe(false);
  });

  it('runs synth --check, validate as annotations and SARIF per shard, and plan against the base', () => {
    const runs = steps(checks).map((s) => s.run ?? '');
    expect(runs).toContain('npx edgefleet synth --check');
    expect(runs.some((r) => r.includes('npx edgefleet validate --shard "$SHARD" --format sarif >'))).toBe(true);
    expect(runs).toContain('npx edgefleet validate --shard "$SHARD" --format github');
    expect(runs.some((r) => r.includes('npx edgefleet plan --base "$(git rev-parse HEAD^1)" --format markdown >'))).toBe(true);
    expect(checks.jobs.validate!.env?.SHARD).toBe('${{ matrix.shard }}/${{ needs.shards.outputs.total }}');
    // plan needs the base commit: the test merge commit's first parent.
    const planCheckout = checks.jobs.plan!.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(planCheckout?.with?.['fetch-depth']).toBeGreaterThanOrEqual(2);
  });

  it('passes event values to scripts through env, never as ${{ }} inside a script', () => {
    for (const s of steps(checks)) expect(s.run ?? '', s.name ?? s.run).not.toContain('${{');
  });
});

describe('pr-report.yml (workflow_run, publishes)', () => {
  it('runs when synth-and-validate completes', () => {
    expect(report.on).toEqual({ workflow_run: { workflows: [checks.name], types: ['completed'] } });
  });

  it('grants nothing at the workflow level and each write only to the job that needs it', () => {
    expect(report.permissions).toEqual({});
    const byJob = Object.fromEntries(Object.entries(report.jobs).map(([id, job]) => [id, writes(job.permissions)]));
    expect(byJob).toEqual({ 'pull-request': [], 'code-scanning': ['security-events'], 'plan-comment': ['pull-requests'] });
    expect(report.jobs['code-scanning']!.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))).toBe(true);
    expect(report.jobs['plan-comment']!.steps.some((s) => s.uses?.startsWith('actions/github-script@'))).toBe(true);
  });

  it('never checks out or runs code: no checkout, no run steps, only artifacts as data', () => {
    for (const s of steps(report)) {
      expect(s.uses ?? '', JSON.stringify(s)).not.toMatch(/^actions\/checkout@/);
      expect(s.run, JSON.stringify(s)).toBeUndefined();
      expect(s.uses, JSON.stringify(s)).toMatch(/^(actions\/download-artifact|actions\/github-script|github\/codeql-action\/upload-sarif)@/);
    }
    expect(reportText).not.toContain('pull_request_target');
  });

  it('downloads only what synth-and-validate uploads, from the run that triggered it', () => {
    const downloads = steps(report).filter((s) => s.uses?.startsWith('actions/download-artifact@'));
    expect(downloads.length).toBe(3);
    for (const s of downloads) {
      expect(s.with?.['run-id']).toBe('${{ github.event.workflow_run.id }}');
      expect(s.with?.['github-token']).toBe('${{ github.token }}');
      expect(uploadedArtifacts(checks)).toContain(s.with?.name);
    }
    for (const [id, job] of Object.entries(report.jobs)) {
      if (job.steps.some((s) => s.uses?.startsWith('actions/download-artifact@'))) expect(job.permissions, id).toMatchObject({ actions: 'read' });
    }
  });

  it('uploads the SARIF to the pull request the API confirmed, at the commit that was checked', () => {
    const upload = report.jobs['code-scanning']!.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with).toMatchObject({
      category: 'edgefleet',
      ref: 'refs/pull/${{ needs.pull-request.outputs.number }}/merge',
      sha: '${{ needs.pull-request.outputs.merge-sha }}',
    });
    expect(report.jobs['code-scanning']!.if).toBe("${{ needs.pull-request.outputs.number != '' }}");
    expect(report.jobs['plan-comment']!.if).toBe("${{ needs.pull-request.outputs.number != '' }}");
  });

  it('reacts only to pull_request runs that were not cancelled', () => {
    expect(report.jobs['pull-request']!.if).toContain("github.event.workflow_run.event == 'pull_request'");
    expect(report.jobs['pull-request']!.if).toContain("github.event.workflow_run.conclusion != 'cancelled'");
  });

  it('passes event values to scripts through env, never as ${{ }} inside a script', () => {
    for (const s of steps(report)) expect(String(s.with?.script ?? ''), s.name).not.toContain('${{');
  });
});

describe('every workflow', () => {
  const all = workflowFiles().map((f) => ({ file: f, ...readWorkflow(f) }));

  it('pins every action to a major tag or a full commit SHA', () => {
    for (const { file, workflow } of all) {
      for (const s of steps(workflow).filter((x) => x.uses)) expect(s.uses, file).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+|[0-9a-f]{40})$/);
    }
  });

  it('uses one version of each action and of Node across workflows', () => {
    const versions = new Map<string, Set<string>>();
    for (const { workflow } of all) {
      for (const s of steps(workflow).filter((x) => x.uses)) {
        const [action, ref] = s.uses!.split('@') as [string, string];
        versions.set(action, (versions.get(action) ?? new Set()).add(ref));
      }
    }
    for (const [action, refs] of versions) expect([...refs], action).toHaveLength(1);
    const nodes = new Set(all.flatMap(({ workflow }) => steps(workflow).filter((s) => s.uses?.startsWith('actions/setup-node@')).map((s) => s.with?.['node-version'])));
    expect([...nodes]).toEqual([20]);
  });

  it('ci.yml keeps testing every push to main and every pull request', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.permissions).toEqual({ contents: 'read' });
    expect(steps(ci).map((s) => s.run)).toContain('npm test');
  });

  it('synth-and-validate text names the artifacts pr-report reads', () => {
    for (const name of ['edgefleet-pr', 'edgefleet-sarif', 'edgefleet-plan']) expect(checksText).toContain(`name: ${name}\n`);
  });
});
