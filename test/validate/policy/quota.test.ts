import { describe, expect, it } from 'vitest';
import { quotaKeyResource } from '../../../src/validate/policy/quota.js';

describe('ResourceQuota keys', () => {
  it('says what a key counts per pod', () => {
    expect(quotaKeyResource('pods')).toBe('pods');
    expect(quotaKeyResource('cpu')).toEqual({ kind: 'requests', resource: 'cpu' });
    expect(quotaKeyResource('limits.memory')).toEqual({ kind: 'limits', resource: 'memory' });
    expect(quotaKeyResource('requests.nvidia.com/gpu')).toEqual({ kind: 'requests', resource: 'nvidia.com/gpu' });
  });

  it('leaves storage, extended-resource limits and object counts to others', () => {
    expect(quotaKeyResource('requests.storage')).toBeUndefined();
    expect(quotaKeyResource('limits.nvidia.com/gpu')).toBeUndefined();
    expect(quotaKeyResource('persistentvolumeclaims')).toBeUndefined();
    expect(quotaKeyResource('count/deployments.apps')).toBeUndefined();
  });
});
