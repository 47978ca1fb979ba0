import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/temp-repo.js';

describe('schemas/kubernetes/', () => {
  it('is what `npm run schemas` generates from the installed packages (no drift)', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/generate-schemas.ts', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.stdout).toContain('is up to date');
    expect(r.status).toBe(0);
  });
});
