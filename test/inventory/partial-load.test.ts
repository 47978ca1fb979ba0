import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { loadInventory, siteNames } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/types.js';
import { formatProblem, InputError } from '../../src/util/errors.js';
import { useTempRepos, type TempRepo } from '../helpers/temp-repo.js';

// readFileSync passes through; the spy only counts which site files a load reads.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return { ...fs, readFileSync: vi.fn(fs.readFileSync) };
});

const LYON = 'sites/lyon-pos-01.yaml';
const BERLIN = 'sites/berlin-kiosk-03.yaml';

describe('loadInventory with options.sites', () => {
  const tempRepo = useTempRepos();
  const load = (repo: TempRepo, sites?: readonly string[]): Inventory =>
    loadInventory(repo.abs('fleet.yaml'), { displayFrom: repo.dir, ...(sites ? { sites } : {}) });
  /** The formatted problems of a failing load. */
  const problems = (repo: TempRepo, sites?: readonly string[]): string[] => {
    try {
      load(repo, sites);
    } catch (err) {
      if (err instanceof InputError) return err.problems.map(formatProblem);
      throw err;
    }
    throw new Error('expected the load to fail');
  };

  it('gives the same site as a full load, and the same fleet and apps', () => {
    const repo = tempRepo();
    const full = load(repo);
    const partial = load(repo, ['lyon-pos-01']);
    const entry = full.sites.find((s) => s.relPath === LYON);
    expect(partial.sites).toHaveLength(1);
    expect(partial.sites[0]?.relPath).toBe(LYON);
    expect(partial.sites[0]?.value).toEqual(entry?.value);
    expect(partial.sites[0]?.source.file).toBe(entry?.source.file);
    expect(partial.fleet.value).toEqual(full.fleet.value);
    expect([...partial.apps.keys()]).toEqual([...full.apps.keys()]);
  });

  it('returns the named sites in the order of a full load, each once', () => {
    const repo = tempRepo();
    // '-' sorts before '.', so lyon-pos-01.yaml comes before lyon-pos.yaml although "lyon-pos" < "lyon-pos-01".
    repo.write('sites/lyon-pos.yaml', repo.read(LYON).replace('name: lyon-pos-01', 'name: lyon-pos'));
    const named = ['rotterdam-gw-01', 'lyon-pos', 'austin-pos-02', 'lyon-pos-01', 'rotterdam-gw-01'];
    const partial = load(repo, named).sites.map((s) => s.relPath);
    const full = load(repo).sites.map((s) => s.relPath);
    expect(partial).toEqual(full.filter((p) => named.some((n) => p === `sites/${n}.yaml`)));
    expect(partial).toEqual(['sites/austin-pos-02.yaml', LYON, 'sites/lyon-pos.yaml', 'sites/rotterdam-gw-01.yaml']);
  });

  it('does not report a broken file of another site, which fails a full load', () => {
    const repo = tempRepo();
    repo.edit(BERLIN, 'runtime: k3s', 'runtime: [k3s');
    expect(load(repo, ['lyon-pos-01']).sites.map((s) => s.relPath)).toEqual([LYON]);
    expect(problems(repo).join('\n')).toContain(`${BERLIN}:`);
  });

  it('reports a broken named site at file:line:column, exactly as a full load does', () => {
    const repo = tempRepo();
    repo.edit(LYON, 'runtime: k3s', 'runtime: k8s');
    const partial = problems(repo, ['lyon-pos-01']);
    expect(partial).toHaveLength(1);
    expect(partial[0]).toMatch(new RegExp(`^${repo.at(LYON, 'runtime: ^k8s')}: spec.runtime: expected one of "k3s", "k0s"`));
    expect(partial).toEqual(problems(repo));
  });

  it('reports a named site with no file on sites/, and siteNames lists only the files there', () => {
    const repo = tempRepo();
    expect(problems(repo, ['lyon-pos-01', 'nowhere', '../fleet'])).toEqual([
      'sites:1:1: unknown site "../fleet": no sites/../fleet.yaml or sites/../fleet.yml',
      'sites:1:1: unknown site "nowhere": no sites/nowhere.yaml or sites/nowhere.yml',
    ]);
    expect(siteNames(repo.abs('fleet.yaml'))).toEqual([
      'austin-pos-02', 'berlin-kiosk-03', 'det-inference-02', 'fra-inference-01',
      'lyon-pos-01', 'ohio-gw-02', 'oslo-gw-03', 'rotterdam-gw-01',
    ]);
  });

  it('reads both sites/<name>.yaml and .yml, so the duplicate is still reported', () => {
    const repo = tempRepo();
    repo.write('sites/lyon-pos-01.yml', repo.read(LYON));
    const partial = problems(repo, ['lyon-pos-01']);
    expect(partial).toEqual([
      `${repo.at('sites/lyon-pos-01.yml', '  name: ^lyon-pos-01')}: metadata.name: duplicate site name "lyon-pos-01" (also defined in ${LYON})`,
    ]);
    expect(partial).toEqual(problems(repo));
    expect(siteNames(repo.abs('fleet.yaml')).filter((n) => n === 'lyon-pos-01')).toHaveLength(1);
  });

  it('reads no other site file', () => {
    const repo = tempRepo();
    const sitesDir = repo.abs('sites/');
    const siteReads = (): string[] =>
      vi.mocked(readFileSync).mock.calls.map(([p]) => String(p)).filter((p) => p.startsWith(sitesDir)).map((p) => p.slice(sitesDir.length)).sort();
    vi.mocked(readFileSync).mockClear();
    load(repo, ['oslo-gw-03', 'lyon-pos-01']);
    expect(siteReads()).toEqual(['lyon-pos-01.yaml', 'oslo-gw-03.yaml']);
    vi.mocked(readFileSync).mockClear();
    load(repo);
    expect(siteReads()).toHaveLength(8);
  });
});
