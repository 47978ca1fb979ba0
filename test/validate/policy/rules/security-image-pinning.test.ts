import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/security-image-pinning.js';
import { runRule, where } from '../rule-tester.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const pod = (images: string[]) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
    - { name: init, image: "${images[0]}" }
  containers:
${images.slice(1).map((image, i) => `    - { name: c${i}, image: "${image}" }`).join('\n')}
`;

describe('security-image-pinning', () => {
  it('is silent on versioned tags and digests (a digest pins whatever the tag says), and on unsubstituted images', () => {
    const yaml = pod(['busybox:1.36', 'registry.example.com:5000/retail/pos-api:3.4.1', `timberio/vector@${DIGEST}`, `app:latest@${DIGEST}`, 'registry/${APP_IMAGE}']);
    expect(runRule(rule, { yaml })).toEqual([]);
  });

  it('fires on a missing tag (a registry port is not a tag), :latest, other floating tags, and a malformed digest', () => {
    const yaml = pod(['busybox', 'registry.example.com:5000/retail/pos-api', 'eclipse-mosquitto:latest', 'app@sha256:abc', 'app:stable']);
    const findings = runRule(rule, { yaml, options: { floatingTags: ['latest', 'stable'] } });
    expect(where(findings)).toEqual([
      '7:28 spec.initContainers[0].image',
      '9:26 spec.containers[0].image',
      '10:26 spec.containers[1].image',
      '11:26 spec.containers[2].image',
      '12:26 spec.containers[3].image',
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'init container "init": image "busybox" has no tag, so it means :latest and changes under the site',
      'container "c0": image "registry.example.com:5000/retail/pos-api" has no tag, so it means :latest and changes under the site',
      'container "c1": image "eclipse-mosquitto:latest" uses the floating tag :latest, which changes under the site',
      'container "c2": image "app@sha256:abc" has a malformed digest "sha256:abc"',
      'container "c3": image "app:stable" uses the floating tag :stable, which changes under the site',
    ]);
    expect(findings.every((f) => f.severity === 'error')).toBe(true);
  });
});
