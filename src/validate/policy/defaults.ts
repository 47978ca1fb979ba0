import type { SitePlan } from '../../model/plan.js';

/** Network profiles (fleet.yaml networkProfiles) whose link is routinely down: the default of every rule's `profiles` option. */
export const FLAKY_PROFILES: readonly string[] = ['intermittent', 'scheduled'];

export interface FlakyLinkOptions {
  /** Network profiles (fleet.yaml networkProfiles) whose link is routinely down. */
  readonly profiles: readonly string[];
}

/** Whether the site's network profile is one of the rule's `profiles`. */
export function onFlakyLink(context: { readonly site: SitePlan; readonly options: Pick<FlakyLinkOptions, 'profiles'> }): boolean {
  return context.options.profiles.includes(context.site.networkProfile);
}
