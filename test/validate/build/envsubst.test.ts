import { describe, expect, it } from 'vitest';
import { envsubst, isDefaultOperator, MAX_NESTING } from '../../../src/validate/build/envsubst.js';

// Expected outputs and errors are what Flux's envsubst (fluxcd/pkg/envsubst) gives for the same input;
// each row was checked against the Go code.
const vars: Record<string, string> = {
  file: 'bash.string.txt',
  path: '/path/to/file',
  mixed: 'abcdEFGH28ij',
  upper: 'HELLO WORLD',
  s: 'abcABC123ABCabc',
  empty: '',
  e: 'éa',
  ae: 'aé',
};
const lookup = (name: string): string | undefined => (Object.hasOwn(vars, name) ? vars[name] : undefined);
const expand = (text: string): string => {
  const r = envsubst(text, lookup);
  expect(r.problems).toEqual([]);
  return r.output;
};

describe('envsubst operators', () => {
  it.each([
    ['value', '${mixed}', 'abcdEFGH28ij'],
    ['text around', 'image: app:${mixed}-x', 'image: app:abcdEFGH28ij-x'],
    ['length in bytes', '${#mixed}', '12'],
    ['length counts UTF-8 bytes', '${#e}', '3'],
    ['upper first', '${mixed^}', 'AbcdEFGH28ij'],
    ['upper all', '${mixed^^}', 'ABCDEFGH28IJ'],
    ['lower first', '${upper,}', 'hELLO WORLD'],
    ['lower all', '${upper,,}', 'hello world'],
    ['substring from offset', '${path:6}', 'to/file'],
    ['substring with length', '${path:6:2}', 'to'],
    ['substring from the end', '${path: -4}', '/path/to/file'], // " -4" is not a number: value unchanged
    ['negative offset', '${path:-4:2}', '/path/to/file'], // `:-` is the default operator
    ['negative length', '${path:1:-5}', 'path/to'],
    ['offset past the end', '${path:40}', ''],
    ['strip shortest prefix', '${file#*.}', 'string.txt'],
    ['strip longest prefix', '${file##*.}', 'txt'],
    ['`*` matches `/`', '${path##*/}', 'file'],
    ['`*` alone strips one character', '${file#*}', 'ash.string.txt'],
    ['character class', '${mixed#[a-c]}', 'bcdEFGH28ij'],
    ['strip shortest suffix', '${file%.*}', 'bash.string'],
    ['strip longest suffix', '${file%%.*}', 'bash'],
    ['replace first', '${s/abc/xyz}', 'xyzABC123ABCabc'],
    ['replace all', '${s//abc/xyz}', 'xyzABC123ABCxyz'],
    ['replace prefix', '${s/#abc/XYZ}', 'XYZABC123ABCabc'],
    ['replace suffix', '${s/%abc/XYZ}', 'abcABC123ABCXYZ'],
    ['delete first', '${s/abc/}', 'ABC123ABCabc'],
    ['prepend with an empty pattern', '${s/#/pre-}', 'pre-abcABC123ABCabc'],
    ['append with an empty pattern', '${s/%/-post}', 'abcABC123ABCabc-post'],
    ['escaped slash in a pattern', '${path//\\//-}', '-path-to-file'],
    ['`/#` without replacement leaves the value', '${s/#abc/}', 'abcABC123ABCabc'],
  ])('%s: %s', (_name, input, output) => {
    expect(expand(input)).toBe(output);
  });
});

describe('envsubst defaults (every form means "value if non-empty, else default")', () => {
  it.each([
    ['${unset=x}', 'x'],
    ['${unset:=x}', 'x'],
    ['${unset:-x}', 'x'],
    ['${mixed:-x}', 'abcdEFGH28ij'],
    ['${empty:-x}', 'x'],
    ['${empty=x}', 'x'], // bash would keep the empty value
    ['${unset:+alt}', 'alt'], // bash gives "" here
    ['${mixed:+alt}', 'abcdEFGH28ij'], // bash gives "alt" here
    ['${unset:?must be set}', 'must be set'], // bash fails here
    ['${unset:-a b c}', 'a b c'],
    ['${unset:-}', ''],
    ['${unset:-${mixed^^}-x}', 'ABCDEFGH28IJ-x'],
    ['${unset:-{"a":1}}', '{"a":1}'], // the default ends at the first `}`
  ])('%s → %s', (input, output) => {
    expect(expand(input)).toBe(output);
  });
});

describe('envsubst escapes and literal text', () => {
  it.each([
    ['$${mixed}', '${mixed}'],
    ['$$', '$'],
    ['pa$$word', 'pa$word'],
    ['$$$${mixed}', '$${mixed}'],
    ['$$${mixed}', '$abcdEFGH28ij'],
    ['$mixed and $', '$mixed and $'], // no braces, no expansion
    ['\\${mixed}', '\\abcdEFGH28ij'], // a backslash does not escape
    ['some text ${mixed}$${var$${mixed}$mixed${mixed}', 'some text abcdEFGH28ij${var${mixed}$mixedabcdEFGH28ij'],
  ])('%s → %s', (input, output) => {
    expect(expand(input)).toBe(output);
  });

  it('reports every `$$` that is not the `$${` escape', () => {
    expect(envsubst('a $$ b $${x} c $$$${y}', lookup).collapsedDollars).toEqual([2, 15]);
  });
});

describe('envsubst syntax errors (Flux rejects the whole resource)', () => {
  it.each([
    ['${mixed-x}', 'missing closing brace'],
    ['${mixed+x}', 'missing closing brace'],
    ['${mixed?x}', 'missing closing brace'],
    ['${mixed', 'missing closing brace'],
    ['${}', 'unable to parse variable name'],
    ['${ mixed}', 'unable to parse variable name'],
    ['${mixed:=x', 'unable to parse substitution within function'],
    ['${mixed^^^}', 'bad substitution'],
    ['${#mixed:-x}', 'bad substitution'],
    ['${mixed#a${file}}', 'bad substitution'],
    ['${s/abc}', 'bad substitution'],
  ])('%s: %s', (input, message) => {
    const r = envsubst(`key: ${input}`, lookup);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: 'syntax', offset: 5 });
    expect(r.problems[0]?.message).toMatch(new RegExp(`^${message.replace(/[$^]/g, '\\$&')} near `));
    expect(r.output).toBe(`key: ${input}`);
  });
});

describe('envsubst references', () => {
  it('records each reference with its operator, offset and whether it is set', () => {
    const r = envsubst('a ${mixed} ${unset:-${gone}} ${#nope}', lookup);
    expect(r.references).toEqual([
      { name: 'mixed', operator: '', offset: 2, defined: true },
      { name: 'gone', operator: '', offset: 20, defined: false }, // arguments are evaluated first
      { name: 'unset', operator: ':-', offset: 11, defined: false },
      { name: 'nope', operator: '#', offset: 29, defined: false },
    ]);
    expect(r.output).toBe('a abcdEFGH28ij  0');
  });

  it('knows which operators supply a default', () => {
    expect([':-', ':=', '=', ':+', ':?'].every(isDefaultOperator)).toBe(true);
    expect(['', '#', '##', '%', '^^', ':', '/', '//'].some(isDefaultOperator)).toBe(false);
  });

  it('looks up names with any Unicode letters or digits, as the Go scanner reads them', () => {
    const r = envsubst('${café} ${1abc}', (n) => (n === 'café' ? 'ok' : undefined));
    expect(r.output).toBe('ok ');
    expect(r.references.map((x) => x.name)).toEqual(['café', '1abc']);
  });
});

describe('envsubst on bytes, like Go strings', () => {
  it('fails when a byte offset cuts a character and the text is not UTF-8', () => {
    const r = envsubst('x: ${e:0:1}', lookup);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'encoding', offset: 3 })]);
  });

  it('accepts halves that join up again', () => {
    expect(expand('${e:0:1}${e:1:1}')).toBe('é');
  });

  it('`?` matches a single byte, so stripping it from a multi-byte character fails', () => {
    expect(envsubst('${e#?}', lookup).problems).toHaveLength(1);
  });

  it('`%` forms turn cut characters into U+FFFD, as Go does when it reverses runes', () => {
    expect(expand('${e%?}')).toBe('é');
    expect(expand('${ae%?}')).toBe('a\uFFFD');
  });
});

describe('envsubst: nesting limit', () => {
  const nested = (n: number): string => '${a:=x'.repeat(n) + '}'.repeat(n);

  it('3,000 nested defaults are a syntax problem at the expression, not a stack overflow', () => {
    const r = envsubst(`k: ${nested(3000)}`, () => undefined);
    expect(r.problems).toMatchObject([{ kind: 'syntax', message: `substitutions nested more than ${MAX_NESTING} deep`, offset: 3 + 6 * MAX_NESTING }]);
    expect(r.output).toBe(`k: ${nested(3000)}`);
  });

  it('nesting up to the limit still expands', () => {
    expect(envsubst(nested(MAX_NESTING), () => undefined)).toMatchObject({ output: 'x'.repeat(MAX_NESTING), problems: [] });
  });
});
