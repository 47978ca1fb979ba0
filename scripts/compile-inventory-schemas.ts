/** `npm run schemas:inventory`: precompiles the inventory schemas into schemas/inventory-validators.mjs. */
import { fileURLToPath } from 'node:url';
import { inventoryValidatorsCode } from '../src/inventory/schema-compile.js';
import { INVENTORY_VALIDATORS_FILE, SCHEMA_DIR } from '../src/inventory/schema-files.js';
import { writeFileAtomic } from '../src/util/atomic-write.js';

const target = fileURLToPath(new URL(INVENTORY_VALIDATORS_FILE, SCHEMA_DIR));
await writeFileAtomic(target, inventoryValidatorsCode());
process.stdout.write(`wrote ${target}\n`);
