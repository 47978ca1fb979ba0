import { containers, type ContainerAt } from './helpers.js';
import type { PolicyObject } from './types.js';

export interface ImageRef {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** `registry:5000/team/app:1.2@sha256:…` → name, tag, digest (a `:` before the last `/` is a registry port). */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const [rest, digest] = at >= 0 ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const [name, tag] = colon > slash ? [rest.slice(0, colon), rest.slice(colon + 1)] : [rest, undefined];
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/**
 * A container's image as written and parsed; undefined when it is not a string or still holds an
 * unsubstituted `${…}` (the build checks report those).
 */
export function containerImage(c: ContainerAt): { readonly image: string; readonly ref: ImageRef } | undefined {
  const image = c.container.image;
  if (typeof image !== 'string' || image.includes('${')) return undefined;
  return { image, ref: parseImage(image.trim()) };
}

/** The containers of a workload with an image to judge, each with its image as written and parsed. */
export function containerImages(obj: PolicyObject): { readonly c: ContainerAt; readonly image: string; readonly ref: ImageRef }[] {
  return containers(obj).flatMap((c) => {
    const written = containerImage(c);
    return written ? [{ c, ...written }] : [];
  });
}
