import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { useTempRepos, type TempRepo } from '../helpers/temp-repo.js';

const tempRepo = useTempRepos();

function commitAll(repo: TempRepo): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'fleet');
}

async function validatedSites(repo: TempRepo): Promise<{ code: number; sites: number }> {
  const r = await repo.run(['validate', '--changed-since', 'HEAD', '--format', 'json', '--now', '2026-11-26']);
  return { code: r.code, sites: (JSON.parse(r.stdout) as { summary: { sites: number } }).summary.sites };
}

describe('--changed-since REF', () => {
  it('touches only the sites a change can affect', async () => {
    const repo = tempRepo();
    commitAll(repo);
    expect(await validatedSites(repo)).toEqual({ code: 0, sites: 0 });

    repo.edit('sites/lyon-pos-01.yaml', 'bandwidthMbps: 100', 'bandwidthMbps: 200');
    expect(await validatedSites(repo)).toEqual({ code: 0, sites: 1 });

    // An app's base reaches every site running the app.
    repo.edit('apps/mqtt-broker/base/configmap.yaml', 'max_queued_messages 10000', 'max_queued_messages 20000');
    expect(await validatedSites(repo)).toEqual({ code: 0, sites: 5 });

    repo.edit('fleet.yaml', '      retryInterval: 5m\n', '      retryInterval: 4m\n');
    expect((await validatedSites(repo)).sites).toBe(8);
  });

  it('synthesizes only the affected sites, and removes the files of a deleted site', async () => {
    const repo = tempRepo();
    commitAll(repo);
    repo.edit('sites/austin-pos-02.yaml', 'replicas: { pos-api: 1 }', 'replicas: { pos-api: 2 }');
    repo.remove('sites/ohio-gw-02.yaml');
    const r = await repo.run(['synth', '--changed-since', 'HEAD', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { sites: number; updated: number; removed: number };
    expect(summary).toMatchObject({ sites: 1, updated: 1, removed: 3 }); // ohio-gw-02's infrastructure.yaml and two app files
    expect(repo.exists('clusters/ohio-gw-02')).toBe(false);
    expect(repo.read('clusters/austin-pos-02/apps/pos-api.yaml')).toContain('POS_API_REPLICAS: "2"');
  });

  it('is a usage error outside a git repository or with an unknown ref', async () => {
    const repo = tempRepo();
    expect((await repo.run(['synth', '--changed-since', 'HEAD'])).code).toBe(2);
    commitAll(repo);
    const r = await repo.run(['validate', '--changed-since', 'no-such-ref']);
    expect(r.code).toBe(2);
  });
});
