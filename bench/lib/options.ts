import { parseArgs } from 'node:util';

export const PHASES = ['synth', 'validate', 'plan', 'one-site'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  readonly sizes: number[];
  readonly rounds: number;
  /** Per figure: when round 1 shows the planned rounds would take longer, fewer rounds are run (at least 1). */
  readonly budgetS: number;
  readonly out: string;
  readonly results: string;
  readonly phases: ReadonlySet<Phase>;
}

export const USAGE = `usage: npm run bench -- [--sizes 1000,10000] [--rounds 3] [--budget-min 15] [--phases synth,validate,plan,one-site]
                       [--out bench/out/run] [--results bench/results.json]`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string', default: '1000,10000' },
      rounds: { type: 'string', default: '3' },
      'budget-min': { type: 'string', default: '15' },
      phases: { type: 'string', default: PHASES.join(',') },
      out: { type: 'string', default: 'bench/out/run' },
      results: { type: 'string', default: 'bench/results.json' },
    },
    strict: true,
    allowPositionals: false,
  });
  const sizes = values.sizes.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes takes positive integers separated by commas, got "${values.sizes}"`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds takes a positive integer, got "${values.rounds}"`);
  const budgetMin = Number(values['budget-min']);
  if (!(budgetMin > 0)) throw new Error(`--budget-min takes a positive number of minutes, got "${values['budget-min']}"`);
  const phases = values.phases.split(',').map((p) => p.trim());
  const unknown = phases.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`unknown phase(s) ${unknown.join(', ')}; known: ${PHASES.join(', ')}`);
  return { sizes: [...new Set(sizes)].sort((a, b) => a - b), rounds, budgetS: budgetMin * 60, out: values.out, results: values.results, phases: new Set(phases as Phase[]) };
}
