import { describe, expect, it } from 'vitest';
import type { ContainerAt } from '../../../src/validate/policy/helpers.js';
import { containerImage, parseImage } from '../../../src/validate/policy/images.js';

const at = (image: unknown): ContainerAt => ({ container: { name: 'c', image }, path: ['spec', 'containers', 0], init: false });

describe('image references', () => {
  it('parses image references', () => {
    expect(parseImage('localhost:5000/a/b:1.0@sha256:x')).toEqual({ name: 'localhost:5000/a/b', tag: '1.0', digest: 'sha256:x' });
    expect(parseImage('localhost:5000/a/b')).toEqual({ name: 'localhost:5000/a/b' });
  });

  it('reads a container image as written, leaving unsubstituted and non-string images alone', () => {
    expect(containerImage(at(' app:1.2 '))).toEqual({ image: ' app:1.2 ', ref: { name: 'app', tag: '1.2' } });
    expect(containerImage(at('registry/${APP_IMAGE}'))).toBeUndefined();
    expect(containerImage(at(undefined))).toBeUndefined();
  });
});
