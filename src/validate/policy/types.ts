import type { AppSpec, FleetSpec } from '../../inventory/types.js';
import type { SitePlan } from '../../model/plan.js';
import type { SourceLocation } from '../../util/errors.js';
import type { PathSegment } from '../../util/yaml-source.js';
import type { ObjectRef, Severity } from '../findings.js';

export type RuleCategory = 'sync' | 'resources' | 'placement' | 'secrets' | 'security' | 'resilience' | 'sovereignty';

/** An object a site applies: committed under clusters/<site>/, or built from a base (after patches and substitution). */
export interface PolicyObject {
  readonly object: Record<string, unknown>;
  readonly ref: ObjectRef;
  /** The site Kustomization that built it (`app-pos-api`); undefined for objects committed under clusters/<site>/. */
  readonly kustomization?: string;
  /** The catalogue app it belongs to (through its Kustomization), if any. */
  readonly app?: string;
  /** Where a field of this object is, in the source the engineer edits. */
  locate(path: readonly PathSegment[], key?: boolean): SourceLocation;
}

export interface SiteContext {
  /** The site's resolved inventory: hardware, capacity, arch, GPU, nodes, network profile, jurisdiction, Vault. */
  readonly site: SitePlan;
  readonly fleet: FleetSpec;
  /** The app catalogue (apps/<name>/app.yaml). */
  readonly apps: ReadonlyMap<string, AppSpec>;
  /** Everything the site applies. */
  readonly objects: readonly PolicyObject[];
}

export interface RuleReport {
  readonly object: PolicyObject;
  /** Field the problem is about; the finding points at it. */
  readonly path: readonly PathSegment[];
  readonly message: string;
  /** Point at the field's key (for "should not be here") rather than its value. */
  readonly key?: boolean;
  /** Overrides the rule's severity for this report (e.g. a preference rather than a defect). */
  readonly severity?: Severity;
}

export interface RuleContext<O> extends SiteContext {
  readonly options: O;
  report(r: RuleReport): void;
}

/** Visitors by kind (`Deployment`, `Kustomization`, …), `*` for every object, and a call once all are seen. */
export interface RuleVisitors {
  readonly [kind: string]: ((obj: PolicyObject) => void) | undefined;
  readonly '*'?: (obj: PolicyObject) => void;
}

export interface RuleMeta {
  readonly category: RuleCategory;
  readonly severity: Severity;
  /** One sentence: what the rule checks and why it matters at the edge. */
  readonly description: string;
  /** What to do about a finding; ends with a full stop. */
  readonly remediation: string;
  /** Kinds the rule inspects (`*` for all). */
  readonly kinds: readonly string[];
}

export interface Rule<O extends object = Record<string, never>> {
  readonly id: string;
  readonly meta: RuleMeta;
  /** Option defaults; documented in docs/rules.md. */
  readonly options: O;
  /** Returns the visitors for one site; `onSiteEnd` runs after every object was visited. */
  create(context: RuleContext<O>): RuleVisitors & { onSiteEnd?: () => void };
}

export type AnyRule = Rule<object>;
