/** A line-level edit script: `=` kept, `-` only in the old text, `+` only in the new one. */
export interface Edit {
  readonly op: '=' | '-' | '+';
  readonly line: string;
}

/** Above this many lines (after trimming common ends) the diff gives up on minimality: all old lines out, all new in. */
const MAX_LINES = 20_000;

/**
 * Myers' O(ND) difference algorithm ("An O(ND) Difference Algorithm and Its Variations", 1986) over
 * lines, after trimming the common prefix and suffix. Deterministic: prefers deletions before insertions.
 */
export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((line): Edit => ({ op: '=', line }));
  const tail = a.slice(endA).map((line): Edit => ({ op: '=', line }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const mid =
    midA.length + midB.length > MAX_LINES
      ? [...midA.map((line): Edit => ({ op: '-', line })), ...midB.map((line): Edit => ({ op: '+', line }))]
      : myers(midA, midB);
  return [...head, ...mid, ...tail];
}

function myers(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ op: '+', line }));
  if (m === 0) return a.map((line) => ({ op: '-', line }));
  const max = n + m;
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number));
      let x = down ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m).
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const vd = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (vd[offset + k - 1] as number) < (vd[offset + k + 1] as number));
    const prevK = down ? k + 1 : k - 1;
    const prevX = vd[offset + prevK] as number;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ op: '=', line: a[x - 1] as string });
      x--;
      y--;
    }
    if (down) edits.push({ op: '+', line: b[prevY] as string });
    else edits.push({ op: '-', line: a[prevX] as string });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    edits.push({ op: '=', line: a[x - 1] as string });
    x--;
    y--;
  }
  return edits.reverse();
}

export interface UnifiedOptions {
  /** Unchanged lines shown around each change. @default 3 */
  readonly context?: number;
}

/**
 * The edits as unified-diff hunks (`@@ -a,b +c,d @@` then ` `, `-`, `+` lines), without file headers.
 * Empty when nothing changed.
 */
export function unifiedHunks(edits: readonly Edit[], options: UnifiedOptions = {}): string {
  const context = options.context ?? 3;
  const changed = edits.map((e, i) => (e.op === '=' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return '';
  // Group changes whose context windows touch.
  const groups: [number, number][] = [];
  for (const i of changed) {
    const last = groups[groups.length - 1];
    if (last && i - last[1] <= 2 * context + 1) last[1] = i;
    else groups.push([i, i]);
  }
  // Line numbers before each edit.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let nw = 1;
  for (const e of edits) {
    oldAt.push(o);
    newAt.push(nw);
    if (e.op !== '+') o++;
    if (e.op !== '-') nw++;
  }
  const out: string[] = [];
  for (const [first, last] of groups) {
    const from = Math.max(0, first - context);
    const to = Math.min(edits.length - 1, last + context);
    const slice = edits.slice(from, to + 1);
    const oldCount = slice.filter((e) => e.op !== '+').length;
    const newCount = slice.filter((e) => e.op !== '-').length;
    const oldStart = oldCount === 0 ? (oldAt[from] as number) - 1 : (oldAt[from] as number);
    const newStart = newCount === 0 ? (newAt[from] as number) - 1 : (newAt[from] as number);
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const e of slice) out.push(`${e.op === '=' ? ' ' : e.op}${e.line}`);
  }
  return `${out.join('\n')}\n`;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** Lines of a text without the empty string after a final newline. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
