/** Where the inventory schemas and their precompiled validators are (schemas/, beside src/ and dist/). */
export const INVENTORY_SCHEMA_FILES = { Fleet: 'fleet.schema.json', Site: 'site.schema.json', App: 'app.schema.json' } as const;
export const INVENTORY_VALIDATORS_FILE = 'inventory-validators.mjs';
export const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);
