import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionlint, readWorkflow, workflowFiles } from './workflows.js';

describe('actionlint', () => {
  afterEach(() => vi.restoreAllMocks());

  it('finds the workflows', () => {
    expect(workflowFiles()).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/pr-report.yml', '.github/workflows/synth-and-validate.yml']));
  });

  it.each(workflowFiles())('%s has no errors', async (file) => {
    const { text } = readWorkflow(file);
    const errors = await actionlint(text, file);
    expect(errors.map((e) => `${file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`)).toEqual([]);
  });

  // Each mutation must be caught, or a clean result above would prove nothing.
  it.each([
    ['pr-report.yml', "needs.pull-request.outputs.number != ''", "needs.pull-request.outputs.nmber != ''", 'property "nmber" is not defined'],
    ['pr-report.yml', 'security-events: write', 'security-event: write', 'unknown permission scope "security-event"'],
    ['pr-report.yml', 'types: [completed]', 'types: [finished]', 'invalid activity type "finished"'],
    ['synth-and-validate.yml', 'needs: [shards, validate]', 'needs: [shards, validat]', 'needs job "validat" which does not exist'],
    ['synth-and-validate.yml', 'contents: read', 'contents: raed', '"raed" is invalid for permission'],
    ['synth-and-validate.yml', '${{ fromJSON(needs.shards.outputs.matrix) }}', '${{ fromJSON(needs.shards.outputs.matrx) }}', 'property "matrx" is not defined'],
    ['synth-and-validate.yml', 'runs-on: ubuntu-latest', 'runs-on: ubuntu-lastest', 'label "ubuntu-lastest" is unknown'],
    ['synth-and-validate.yml', 'run: npx edgefleet synth --check', 'run: npx edgefleet synth --check ${{ github.event.pull_request.title }}', '"github.event.pull_request.title" is potentially untrusted'],
    ['ci.yml', 'actions/checkout@v6\n        with:\n          persist-credentials:', 'actions/checkout@v4\n        with:\n          persist-credential:', 'input "persist-credential" is not defined in action "actions/checkout@v4"'],
  ])('catches a broken %s (%s → %s)', async (name, from, to, says) => {
    const file = `.github/workflows/${name}`;
    const { text } = readWorkflow(file);
    expect(text).toContain(from);
    const errors = await actionlint(text.replace(from, to), file);
    expect(errors.map((e) => e.message).join('\n')).toContain(says);
  });

  it('runs offline: no fetch and no socket while loading and linting', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('network used'));
    const connectSpy = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(() => {
      throw new Error('network used');
    });
    const file = '.github/workflows/synth-and-validate.yml';
    expect(await actionlint(readWorkflow(file).text, file)).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(connectSpy).not.toHaveBeenCalled();
  });
});
