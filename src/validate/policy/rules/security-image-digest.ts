import type { Severity } from '../../findings.js';
import { defineRule } from '../define-rule.js';
import { describeContainer, WORKLOAD_KINDS } from '../helpers.js';
import { containerImages } from '../images.js';

interface Options {
  /** How serious a tag without a digest is for this fleet (`warning`: a digest is preferred; `error`: required). */
  readonly severity: Severity;
  /** Tags security-image-pinning already reports (no digest check on them, to report an image once). */
  readonly floatingTags: readonly string[];
}

/**
 * Images are pinned by digest, not only by tag. A tag can be re-pushed: nodes that pulled at different times —
 * and edge nodes pull at very different times, whenever their link allows — then run different bytes under
 * one name, and a compromised registry can swap what a site starts. A digest is immutable and verified on pull.
 * A warning by default (`severity`): a release tag is an acceptable pin for many fleets, and this rule is
 * separate from security-image-pinning so that waiving it never hides a `latest`.
 */
export default defineRule<Options>({
  id: 'security-image-digest',
  meta: {
    category: 'security',
    severity: 'warning',
    description: 'Container images are pinned by digest as well as tag, because a re-pushed tag makes nodes that pulled at different times, as edge nodes do, run different code under one name.',
    remediation: 'Append the digest of the tested image (`image: registry/app:1.2.3@sha256:…`, e.g. from `crane digest` or `docker buildx imagetools inspect`), or accept tag pinning with a waiver.',
    kinds: ['Pod', ...WORKLOAD_KINDS],
  },
  options: { severity: 'warning', floatingTags: ['latest'] },
  create(context) {
    const { options } = context;
    return {
      '*'(obj) {
        for (const { c, image, ref } of containerImages(obj)) {
          if (ref.digest !== undefined || ref.tag === undefined || ref.tag === '' || options.floatingTags.includes(ref.tag)) continue;
          context.report({
            object: obj,
            path: [...c.path, 'image'],
            severity: options.severity,
            message: `${describeContainer(c)}: image "${image}" is pinned by tag only; a tag can be re-pushed, a digest (${ref.name}:${ref.tag}@sha256:…) cannot`,
          });
        }
      },
    };
  },
});
