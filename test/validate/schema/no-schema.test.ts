import { describe, expect, it } from 'vitest';
import { validateManifest } from '../../../src/validate/schema/index.js';
import { fixture } from './helpers.js';

describe('documents without a schema', () => {
  it('unknown apiVersion/kind: reported as no-schema, not invalid', () => {
    expect(validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { anything: 1 } })).toEqual({
      status: 'no-schema',
      apiVersion: 'example.com/v1',
      kind: 'Widget',
    });
  });

  it('a known kind at an unlisted version: no-schema', () => {
    expect(validateManifest(fixture('Deployment', (d) => (d.apiVersion = 'apps/v1beta2')))).toMatchObject({ status: 'no-schema' });
  });

  it('a known apiVersion/kind: not no-schema', () => {
    expect(validateManifest(fixture('HelmRelease')).status).toBe('valid');
  });

  it('lookups cannot reach object prototype keys', () => {
    expect(validateManifest({ apiVersion: 'constructor', kind: 'x' }).status).toBe('no-schema');
  });

  it.each([null, 'kind: Pod', [], 42])('%j is not a manifest: invalid', (value) => {
    const result = validateManifest(value);
    expect(result).toMatchObject({ status: 'invalid', issues: [{ pointer: '', keyword: 'type' }] });
  });
});
