import type { LinkKind } from '../../inventory/types.js';
import type { SitePlan } from '../../model/plan.js';

/** Link kinds (fleet.yaml networkProfiles.<name>.link) that are routinely down: the default of every rule's `links` option. */
export const OFFLINE_LINKS: readonly LinkKind[] = ['intermittent', 'scheduled'];

export interface FlakyLinkOptions {
  /** Link kinds (a network profile's `link`) whose sites the rule judges. */
  readonly links: readonly string[];
}

/** Whether the site's network profile has one of the rule's `links` (the attribute, never the profile's name). */
export function onFlakyLink(context: { readonly site: SitePlan; readonly options: Pick<FlakyLinkOptions, 'links'> }): boolean {
  return context.options.links.includes(context.site.link);
}
