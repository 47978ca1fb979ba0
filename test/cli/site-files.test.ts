import { renameSync, symlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectRejected, useTempRepos } from '../helpers/temp-repo.js';

// A site leaves the inventory only when its file is deleted. A file that is still there in another
// form (a symbolic link, a wrong-case extension) is an error, not a deleted site: otherwise synth
// would remove the whole clusters/<site>/ directory and exit 0.

const LYON = 'sites/lyon-pos-01.yaml';

describe('site files that are not plain sites/<name>.yaml', () => {
  const tempRepo = useTempRepos();

  it('a symbolic link in sites/ is a located error; clusters/<site> is kept', async () => {
    const repo = tempRepo();
    renameSync(repo.abs(LYON), repo.abs('lyon-pos-01.yaml'));
    symlinkSync('../lyon-pos-01.yaml', repo.abs(LYON));
    const lines = await expectRejected(repo, [{ at: `${LYON}:1:1`, says: ['expected a regular file', 'symbolic link'] }], { count: 1 });
    expect(lines).toHaveLength(1);
    expect(repo.exists('clusters/lyon-pos-01/apps/pos-api.yaml')).toBe(true);
  });

  it('--site naming a symlinked site file: the same located error', async () => {
    const repo = tempRepo();
    renameSync(repo.abs(LYON), repo.abs('lyon-pos-01.yaml'));
    symlinkSync('../lyon-pos-01.yaml', repo.abs(LYON));
    await expectRejected(repo, [{ at: `${LYON}:1:1`, says: ['expected a regular file', 'symbolic link'] }], { count: 1, argv: ['synth', '--site', 'lyon-pos-01'] });
  });

  for (const ext of ['YAML', 'Yaml', 'YML']) {
    it(`a site file named .${ext} is a located error naming the fix`, async () => {
      const repo = tempRepo();
      const renamed = `sites/lyon-pos-01.${ext}`;
      renameSync(repo.abs(LYON), repo.abs(renamed));
      await expectRejected(repo, [{ at: `${renamed}:1:1`, says: ['expected a site file name ending in .yaml or .yml', 'rename it to lyon-pos-01.'] }], { count: 1 });
    });
  }

  it('.yml is a site file like .yaml: the site stays in the inventory', async () => {
    const repo = tempRepo();
    renameSync(repo.abs(LYON), repo.abs('sites/lyon-pos-01.yml'));
    const r = await repo.run(['synth']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/8 sites, .* 0 removed/);
    expect(repo.read('clusters/lyon-pos-01/apps/pos-api.yaml')).toContain('sites/lyon-pos-01.yml');
  });
});
