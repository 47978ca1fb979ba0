import { UsageError } from '../util/errors.js';

/** `--now` (today for waiver expiry) is a date as YYYY-MM-DD; checked before any work is done. */
export function checkNow(now: string | undefined): void {
  if (now !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(now)) throw new UsageError(`--now takes a date as YYYY-MM-DD, got "${now}"`);
}
