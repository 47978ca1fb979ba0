import { describe, expect, it } from 'vitest';
import { parseBool, templatePaths } from '../../../src/validate/policy/vault.js';

describe('Vault Agent Injector', () => {
  it('reads the secret paths of a Consul Template', () => {
    expect(templatePaths('{{ with secret `a/b` }}{{ end }}{{ range secrets "c/d" }}{{ end }}')).toEqual(['a/b', 'c/d']);
  });

  it('reads boolean annotations as Go\'s strconv.ParseBool does', () => {
    expect(['1', 't', 'T', 'true', 'TRUE', 'True'].map(parseBool)).toEqual(Array(6).fill(true));
    expect(['0', 'f', 'F', 'false', 'FALSE', 'False'].map(parseBool)).toEqual(Array(6).fill(false));
    expect(['yes', 'tRue', '', undefined].map(parseBool)).toEqual(Array(4).fill(undefined));
  });
});
