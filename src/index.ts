/** edgefleet as a library: inventory → plan → synthesized Flux trees. The CLI is a thin layer over this. */
export { loadInventory, type LoadOptions } from './inventory/load.js';
export type * from './inventory/types.js';
export { resolveFleet } from './model/resolve.js';
export type * from './model/plan.js';
export { synthesize, type SynthOptions, type SynthResult } from './synth/synthesize.js';
export { diffClusters, applyClusters, type ClustersChange } from './synth/clusters-dir.js';
export { bootstrapScript } from './cli/commands/bootstrap.js';
export { InputError, UsageError, InternalError, formatProblem, type InputProblem, type SourceLocation } from './util/errors.js';
export { parseQuantity, formatCpu, formatBytes } from './util/quantity.js';
export { parseDuration, formatDuration } from './util/duration.js';
export { run } from './cli/main.js';
