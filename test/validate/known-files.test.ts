import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load.js';
import { resolveFleet } from '../../src/model/resolve.js';
import { fileDocuments, renderFile } from '../../src/synth/render.js';
import { buildSite } from '../../src/synth/site-chart.js';
import { knownSourceDocuments, locate, parseYamlFile } from '../../src/util/yaml-source.js';
import { FIXTURE_FLEET_FILE } from '../helpers/fixture-fleet.js';

// validate takes a committed file that is exactly what synth renders from synth's own objects, and
// parses it only to point at a finding: both must be what reading the file gives.
describe('files synth renders, read back without parsing', () => {
  const inv = loadInventory(FIXTURE_FLEET_FILE);
  const files = resolveFleet(inv).sites.flatMap((site) => buildSite({ site, fleetFile: inv.fleet.relPath, addonWorkloads: inv.addonBases }).map((f) => ({ site: site.name, f })));

  it('gives the values parsing gives, key order included', () => {
    expect(files.length).toBeGreaterThan(20);
    for (const { site, f } of files) {
      const text = renderFile(f);
      const parsed = parseYamlFile(`clusters/${site}/${f.path}`, text).documents.map((d) => d.value);
      expect(JSON.stringify(fileDocuments(f))).toBe(JSON.stringify(parsed));
    }
  });

  it('points at the same lines, parsing the file only when asked', () => {
    const { site, f } = files.find((x) => x.f.path.startsWith('apps/')) ?? files[0]!;
    const file = `clusters/${site}/${f.path}`;
    const text = renderFile(f);
    const known = knownSourceDocuments(file, text, fileDocuments(f));
    const parsed = parseYamlFile(file, text).documents;
    expect(known).toHaveLength(parsed.length);
    known.forEach((k, i) => {
      for (const path of [[], ['metadata', 'name'], ['spec'], ['kind']]) expect(locate(k, path)).toEqual(locate(parsed[i]!, path));
    });
    expect(() => knownSourceDocuments(file, text, [{}])[0]!.doc).toThrow(/expected 1 YAML document/);
  });
});
