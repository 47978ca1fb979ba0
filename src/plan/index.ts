/** `edgefleet plan` as a library: what each site applies differently between two states of the repository. */
export { planChanges, type PlanOptions } from './plan.js';
export { planFormatter, PLAN_FORMATS, type PlanFormatter } from './format/index.js';
export { GITHUB_COMMENT_LIMIT, markdownPlan } from './format/markdown.js';
export { measureShallowClone, type ShallowCloneSize } from './download.js';
export type { ChangePlan, DownloadEstimate, ObjectChange, SiteChange } from './types.js';
export type { ObjectId } from './identity.js';
