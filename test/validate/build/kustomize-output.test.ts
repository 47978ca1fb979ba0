import { describe, expect, test } from 'vitest';
import { kubectlErrorText, repoRelative } from '../../../src/validate/build/kustomize.js';

describe('kubectlErrorText', () => {
  test('kubectl ≥ 1.30, one line: the Go-quoted err value', () => {
    const stderr = 'E1126 13:25:29.042418   20289 run.go:72] "command failed" err="accumulating components: accumulateDirectory: \\"couldn\'t make target for path \'/r/comp\': invalid Kustomization: json: unknown field \\\\\\"foo\\\\\\"\\""\n';
    expect(kubectlErrorText(stderr)).toBe(
      'accumulating components: accumulateDirectory: "couldn\'t make target for path \'/r/comp\': invalid Kustomization: json: unknown field \\"foo\\""',
    );
  });

  test('kubectl ≥ 1.30, several lines: the err=< block without its indentation', () => {
    const stderr = 'E1126 13:25:29.163741   20305 run.go:72] "command failed" err=<\n\ttrouble configuring builtin PatchTransformer with config: `\n\tpatch: |\n\t  kind: [\n\t`: unable to parse SM or JSON patch\n >\n';
    expect(kubectlErrorText(stderr)).toBe('trouble configuring builtin PatchTransformer with config: `\npatch: |\n  kind: [\n`: unable to parse SM or JSON patch');
  });

  test('older kubectl: error: <message>', () => {
    expect(kubectlErrorText('error: accumulating resources: boom\n')).toBe('accumulating resources: boom');
  });
});

test('repoRelative replaces temporary and repository paths, longest first', () => {
  const text = "open /tmp/edgefleet-build-x/apps/a/missing.yaml: no such file; read /repo/base: is a directory; path '/repo'";
  expect(repoRelative(text, [['/tmp/edgefleet-build-x', ''], ['/repo', '']])).toBe("open apps/a/missing.yaml: no such file; read base: is a directory; path '.'");
});
