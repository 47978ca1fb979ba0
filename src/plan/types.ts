import type { ObjectId } from './identity.js';
import type { SiteAttributes } from './sides.js';

/** One object that a site applies differently after the change. */
export interface ObjectChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly id: ObjectId;
  /** The site Kustomization that builds it; absent for objects committed under clusters/<site>/. */
  readonly kustomization?: string;
  /** The file it comes from (head side, or base side for a removed object). */
  readonly file: string;
  /** Unified diff hunks of the object's YAML (sorted keys), Secret values and Vault templates redacted. */
  readonly diff: string;
  readonly lines: { readonly added: number; readonly removed: number };
  /**
   * Bytes of the object's YAML before and after (0 when absent) and of the lines that change (removed plus
   * added lines, newline included). Counted on the real text, so a secret's change counts too.
   */
  readonly bytes: { readonly base: number; readonly head: number; readonly changed: number };
}

export interface SiteChange {
  readonly site: string;
  /** `added`: a new site; `removed`: a site that disappears; `changed`: what it applies changes. */
  readonly status: 'added' | 'removed' | 'changed';
  readonly attributes: SiteAttributes;
  readonly objects: readonly ObjectChange[];
  readonly counts: { readonly added: number; readonly changed: number; readonly removed: number; readonly unchanged: number };
  /** Bytes of the site's built manifests that change (sum over its objects). */
  readonly bytesChanged: number;
  /** Objects that could not be built or substituted, per side (a broken head is the thing to look at). */
  readonly errors: { readonly base: readonly string[]; readonly head: readonly string[] };
}

export type GroupKey = 'region' | 'jurisdiction' | 'networkProfile' | 'runtime';

export interface DownloadEstimate {
  /** How it was measured. */
  readonly method: string;
  readonly branch: string;
  /** Bytes one site's source-controller receives for the new commit (a depth-1 clone's pack). */
  readonly bytesPerSite: number;
  readonly objects: number;
  /** Every site pulls it, affected or not: the branch moved. */
  readonly sites: number;
  readonly totalBytes: number;
  /** Per network profile: sites, bytes, and the longest transfer at a site's bandwidth (seconds). */
  readonly byNetworkProfile: Readonly<Record<string, { readonly sites: number; readonly bytes: number; readonly slowestSeconds: number | null }>>;
}

export interface ChangePlan {
  readonly base: { readonly ref: string; readonly commit: string };
  /** `ref: null` for the working tree (index and untracked files included). */
  readonly head: { readonly ref: string | null; readonly commit: string | null };
  /** Sites on the head side, and how many of them (or of the removed ones) change. */
  readonly fleet: { readonly sites: number; readonly affected: number };
  readonly sites: readonly SiteChange[];
  /** Affected sites by attribute value (head side; base side for removed sites). */
  readonly groups: Readonly<Record<GroupKey, Readonly<Record<string, readonly string[]>>>>;
  readonly totals: { readonly added: number; readonly changed: number; readonly removed: number; readonly bytesChanged: number };
  readonly download: DownloadEstimate | { readonly error: string };
  /** With --changed-since: the sites considered, and why. */
  readonly selection?: { readonly since: string; readonly sites: readonly string[] | 'all'; readonly reasons: Readonly<Record<string, readonly string[]>> };
  /** Head files under clusters/ that differ from a fresh synth (the plan shows synth's version). */
  readonly synthesized: readonly string[];
}
