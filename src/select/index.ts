/** Affected-site selection: which sites a set of changed files can change (for --changed-since). */
export { affectedSites, type AffectedOptions, type AffectedSites } from './affected.js';
export { changedFiles, type ChangedFilesOptions } from './changed-files.js';
export { GitError } from './git.js';
