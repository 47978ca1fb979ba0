import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface FloorFile {
  /** Relative to the clusters directory, `/`-separated. */
  readonly path: string;
  /** Everything before the first document (synth's comment header). */
  readonly header: string;
  readonly docs: unknown[];
}

/** Splits one synthesized file into its header and parsed documents. */
export function floorFile(path: string, text: string): FloorFile {
  const at = text.indexOf('---\n');
  const header = at < 0 ? text : text.slice(0, at);
  const docs = at < 0 ? [] : parseAllDocuments(text.slice(at)).map((d) => d.toJS() as unknown);
  return { path, header, docs };
}

/** Every YAML file under `dir`, sorted (what synth wrote there). */
export function listYamlFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listYamlFiles(dir, path));
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(path);
  }
  return out;
}

/** Reads a clusters directory once and saves the floor's input; returns the number of files. */
export function writeFloorInput(clustersDir: string, jsonFile: string): number {
  const files = listYamlFiles(clustersDir).map((p) => floorFile(p, readFileSync(join(clustersDir, p), 'utf8')));
  writeFileSync(jsonFile, JSON.stringify(files));
  return files.length;
}

/** Files under `a` whose bytes differ from (or are missing in) `b`: the floor must write what synth writes. */
export function differingFiles(a: string, b: string): string[] {
  const left = listYamlFiles(a);
  const right = new Set(listYamlFiles(b));
  const differ = left.filter((p) => !right.has(p) || !readFileSync(join(a, p)).equals(readFileSync(join(b, p))));
  const inLeft = new Set(left);
  for (const p of right) if (!inLeft.has(p)) differ.push(p);
  return differ;
}
