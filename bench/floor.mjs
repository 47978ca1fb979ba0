// The floor of `edgefleet synth`: the same documents, already in memory as plain objects, rendered with
// `yaml` stringify (synth's own options, so the bytes are identical) and written with plain file writes.
// Plain JS on purpose: it runs as `node bench/floor.mjs` like the compiled CLI, with no tsx start-up.
//
//   node bench/floor.mjs INPUT.json OUT_DIR [--atomic]
//
// INPUT.json: [{ path, header, docs }] (bench/lib/floor-input.ts writes it, outside the timed region).
// --atomic: write each file the way synth does (temporary file, fsync, rename, 16 at a time), to show
// what durable writes cost on top of the floor.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

const [input, out, mode] = process.argv.slice(2);
if (!input || !out) {
  process.stderr.write('usage: node bench/floor.mjs INPUT.json OUT_DIR [--atomic]\n');
  process.exit(2);
}
const files = JSON.parse(readFileSync(input, 'utf8'));
const render = (file) => file.header + file.docs.map((d) => `---\n${stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');

if (mode === '--atomic') {
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      const path = join(out, file.path);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.floor-tmp`;
      await writeFile(tmp, render(file), { flush: true });
      await rename(tmp, path);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
} else {
  const made = new Set();
  for (const file of files) {
    const path = join(out, file.path);
    const dir = dirname(path);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(path, render(file));
  }
}
process.stdout.write(`${JSON.stringify({ files: files.length })}\n`);
