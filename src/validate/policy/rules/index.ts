/** The rule catalogue, sorted by id. test/validate/policy/catalogue.test.ts keeps it in step with the files. */
import type { AnyRule } from '../types.js';
import syncIntervals from './sync-intervals.js';

export const RULES: readonly AnyRule[] = [syncIntervals] as readonly AnyRule[];
