import { cpSync } from 'node:fs';
import { describe, it } from 'vitest';
import { expectRejected, useTempRepos } from '../helpers/temp-repo.js';

// Inventory checks that no schema can express: every site's Vault prefix is its own, and no app
// takes a namespace that Kubernetes or Flux owns.

const LYON = 'sites/lyon-pos-01.yaml';

describe('synth rejects inventory that would share or hijack what is not a site’s or app’s own', () => {
  const tempRepo = useTempRepos();

  it('two sites whose Vault prefixes resolve to the same path: located at both site files', async () => {
    const repo = tempRepo();
    repo.edit('fleet.yaml', 'pathPattern: edge/{region}/{site}', 'pathPattern: edge/{region}-{site}');
    // region "eu-west" + site "lyon-pos-01" and region "eu" + site "west-lyon-pos-01": edge/eu-west-lyon-pos-01
    const other = 'sites/west-lyon-pos-01.yaml';
    repo.write(other, repo.read(LYON).replace('name: lyon-pos-01', 'name: west-lyon-pos-01').replace('region: eu-west', 'region: eu'));
    await expectRejected(
      repo,
      [
        { at: repo.at(LYON, '  name: ^lyon-pos-01'), path: 'metadata.name', says: ['Vault prefix "edge/eu-west-lyon-pos-01"', 'west-lyon-pos-01', other] },
        { at: repo.at(other, '  name: ^west-lyon-pos-01'), path: 'metadata.name', says: ['Vault prefix "edge/eu-west-lyon-pos-01"', LYON] },
      ],
      { count: 2 },
    );
  });

  it('a Vault pathPattern without {site}', async () => {
    const repo = tempRepo();
    repo.edit('fleet.yaml', 'pathPattern: edge/{region}/{site}', 'pathPattern: edge/{region}');
    await expectRejected(repo, [{ at: repo.at('fleet.yaml', 'pathPattern: ^edge/{region}'), path: 'spec.vault.pathPattern', says: ['{site}'] }], { count: 1 });
  });

  for (const name of ['flux-system', 'kube-system', 'kube-public', 'kube-node-lease', 'default']) {
    it(`an app named ${name} (its namespace) is refused`, async () => {
      const repo = tempRepo();
      const app = `apps/${name}/app.yaml`;
      repo.write(app, repo.read('apps/telemetry/app.yaml').replace(/^  name: telemetry$/m, `  name: ${name}`));
      cpSync(repo.abs('apps/telemetry/base'), repo.abs(`apps/${name}/base`), { recursive: true });
      await expectRejected(repo, [{ at: repo.at(app, `  name: ^${name}\n`), path: 'metadata.name', says: ['reserved namespace'] }], { count: 1 });
    });
  }
});
