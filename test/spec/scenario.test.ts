// Scenario errors: where they are (file, cells[i] (name), steps[i]) and the checks ajv cannot do.
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/spec/index.js';
import { db, www } from './fixtures.js';

function errorsOf(value: unknown): string[] {
  const result = validateScenario(value, 'demo.scenario.json');
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

const scenario = (steps: unknown[], cells: unknown[] = [www, db]): unknown => ({ cells, steps });

describe('scenario errors', () => {
  it('locates a cell\'s error by index and name', () => {
    expect(errorsOf(scenario([], [www, { ...db, autoboot: 'yes' }]))).toEqual([
      'demo.scenario.json: cells[1] (db): "autoboot" must be a boolean',
    ]);
  });

  it.each([
    ['an unknown step field', { cell: 'www', run: 'ls', exepct: { exitCode: 0 } }, 'steps[0]: unknown field "exepct" (did you mean "expect"?)'],
    ['an unknown expectation', { cell: 'www', run: 'ls', expect: { stdOut: '' } }, 'steps[0]: unknown field "expect.stdOut" (did you mean "expect.stdout"?)'],
    ['a bad expectation type', { cell: 'www', run: 'ls', expect: { exitCode: '0' } }, 'steps[0]: "expect.exitCode" must be an integer'],
    ['a bad argv element', { cell: 'www', run: ['ls', 1] }, 'steps[0]: "run[1]" must be a string'],
    ['an empty command', { cell: 'www', run: '' }, 'steps[0]: "run" must not be empty'],
    ['a run without a cell', { run: 'ls' }, 'steps[0]: "run" needs "cell"'],
    ['a user on a lifecycle step', { start: 'www', user: 0 }, 'steps[0]: "user" needs "run"'],
    ['a step doing nothing', { comment: 'nothing' }, 'steps[0]: a step needs exactly one of "run", "start", "stop", "destroy" and "update"'],
    ['a step doing two things', { start: 'www', stop: 'www' }, 'steps[0]: a step needs exactly one of "run", "start", "stop", "destroy" and "update"'],
    ['a run step in an unknown cell', { cell: 'wwww', run: 'ls' }, 'steps[0]: unknown cell "wwww" (did you mean "www"?)'],
    ['a lifecycle step on an unknown cell', { destroy: 'mail' }, 'steps[0]: unknown cell "mail"'],
    ['stopping the host', { stop: 'host' }, 'steps[0]: cannot stop the host'],
    ['a bad regular expression', { cell: 'host', run: 'ls', expect: { stdoutMatches: '(' } }, 'steps[0]: "expect.stdoutMatches" is not a valid regular expression: Invalid regular expression: /(/: Unterminated group'],
    ['a negative tick', { cell: 'host', run: 'ls', at: -1 }, 'steps[0]: "at" must be >= 0'],
  ])('reports %s', (_what, step, message) => {
    expect(errorsOf(scenario([step]))).toEqual([`demo.scenario.json: ${message}`]);
  });

  it('reports duplicate cell names, wherever the kinds', () => {
    expect(errorsOf(scenario([], [www, db, { ...db, zonename: 'www', zonepath: '/zones/www' }]))).toEqual([
      'demo.scenario.json: cells[2] (www): "www" is already the name of cells[0]',
    ]);
  });

  it('requires a dotted jail\'s parent to be defined before it', () => {
    const sub = { kind: 'jail', name: 'www.sub', path: '/sub' };
    expect(errorsOf(scenario([], [sub, www]))).toEqual(['demo.scenario.json: cells[0] (www.sub): parent jail "www" is not defined before it']);
    expect(validateScenario(scenario([{ cell: 'www.sub', run: 'ls' }], [www, sub])).ok).toBe(true);
  });

  it('reports the scenario\'s own fields', () => {
    expect(errorsOf({ cells: {}, seed: -1, step: [] })).toEqual([
      'demo.scenario.json: missing required field "steps"',
      'demo.scenario.json: unknown field "step" (did you mean "steps"?)',
      'demo.scenario.json: "seed" must be >= 0',
      'demo.scenario.json: "cells" must be an array',
    ]);
    expect(errorsOf('cells')).toEqual(['demo.scenario.json: must be a JSON object']);
  });

  it('reports every error at once, in document order', () => {
    const value = {
      cells: [{ ...www, 'childen.max': 1 }, { kind: 'zone', zonename: 'db' }, www],
      steps: [{ cell: 'ww', run: 'ls' }, { start: 'db' }, { stop: 'db', destroy: 'db' }],
      cpus: 0,
    };
    expect(errorsOf(value)).toEqual([
      'demo.scenario.json: "cpus" must be >= 1',
      'demo.scenario.json: cells[0] (www): unknown parameter "childen.max" (did you mean "children.max"?)',
      'demo.scenario.json: cells[1] (db): missing required property "zonepath"',
      'demo.scenario.json: cells[2] (www): "www" is already the name of cells[0]',
      'demo.scenario.json: steps[0]: unknown cell "ww" (did you mean "www"?)',
      'demo.scenario.json: steps[2]: a step needs exactly one of "run", "start", "stop", "destroy" and "update"',
    ]);
  });

  it('accepts run steps in the host and lifecycle steps on defined cells', () => {
    const steps = [{ start: 'www' }, { cell: 'host', run: ['hostname'], concurrent: true, at: 10 }, { cell: 'db', run: 'id', user: 1001 }, { destroy: 'www' }];
    expect(validateScenario(scenario(steps))).toEqual({ ok: true, scenario: scenario(steps) });
  });
});
