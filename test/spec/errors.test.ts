// Every kind of spec error, with its exact message: the cell, the field and the rule.
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../../src/spec/index.js';
import { db, www } from './fixtures.js';

function errorsOf(value: unknown, source?: string): string[] {
  const result = validateSpec(value, source);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

const without = (spec: object, key: string): object => Object.fromEntries(Object.entries(spec).filter(([k]) => k !== key));

describe('spec errors', () => {
  it.each([
    ['an unknown parameter, with the nearest known one', { ...www, 'childen.max': 1 }, 'www: unknown parameter "childen.max" (did you mean "children.max"?)'],
    ['an unknown parameter far from any known one', { ...www, 'sysvmsg.max': 'epair0b' }, 'www: unknown parameter "sysvmsg.max"'],
    ['a zone property typo, in zonecfg\'s word', { ...db, zonpath: '/z' }, 'db: unknown property "zonpath" (did you mean "zonepath"?)'],
    ['a value above the maximum', { ...www, enforce_statfs: 3 }, 'www: "enforce_statfs" must be <= 2'],
    ['a value below the minimum', { ...www, 'children.max': -1 }, 'www: "children.max" must be >= 0'],
    ['a missing required parameter', without(www, 'path'), 'www: missing required parameter "path"'],
    ['a missing zone property', without(db, 'zonepath'), 'db: missing required property "zonepath"'],
    ['a boolean of the wrong type', { ...db, autoboot: 'true' }, 'db: "autoboot" must be a boolean'],
    ['an integer of the wrong type', { ...www, securelevel: 1.5 }, 'www: "securelevel" must be an integer'],
    ['a string of the wrong type', { ...www, 'exec.start': ['sh', '/etc/rc'] }, 'www: "exec.start" must be a string'],
    ['a relative path', { ...www, path: 'jails/www' }, 'www: "path" must be an absolute path (got "jails/www")'],
    ['/ as a zonepath', { ...db, zonepath: '/' }, 'db: "zonepath" must be an absolute path other than / (got "/")'],
    ['a numeric jail name', { ...www, name: '42' }, '42: "name" must be dot-separated words of letters, digits, "_" and "-", the last not all digits (got "42")'],
    ['a bad limitpriv', { ...db, limitpriv: 'default,,sys_time' }, 'db: "limitpriv" must be a comma list of privilege names, each optionally preceded by "-" or "!" (got "default,,sys_time")'],
    ['a rootfs that is a path', { ...db, rootfs: '../etc' }, 'db: "rootfs" must be the name of a directory under rootfs-samples/ (got "../etc")'],
    ['a mount line that is not an fstab(5) line', { ...www, mount: ['/bin nullfs ro'] }, 'www: "mount[0]" must be an fstab(5) line, SOURCE /MOUNTPOINT TYPE OPTIONS [DUMP [PASS]] (got "/bin nullfs ro")'],
    ['a mount option mount(8) does not know', { ...www, mount: ['/bin /jails/www/bin nullfs ro,sync 0 0'] }, 'www: "mount[0]": mount: sync: unknown option'],
    ['a zone fs option mount(8) does not know', { ...db, fs: [{ dir: '/d', special: '/export/d', type: 'lofs', options: ['sync'] }] }, 'db: "fs[0].options": mount: sync: unknown option'],
    ['a zone lofs whose special is not a path', { ...db, fs: [{ dir: '/d', special: 'data', type: 'lofs' }] }, 'db: "fs[0].special" must be an absolute path of the global zone for lofs (got "data")'],
    ['an inherit-pkg-dir that is /', { ...db, 'inherit-pkg-dir': [{ dir: '/' }] }, 'db: "inherit-pkg-dir[0].dir" must be an absolute directory path, not / (got "/")'],
    ['an unknown brand', { ...db, brand: 'lx' }, 'db: "brand" must be "native"'],
    ['a hostname too long', { ...www, 'host.hostname': 'h'.repeat(256) }, 'www: "host.hostname" must be at most 255 characters long'],
    ['a missing kind', without(www, 'kind'), 'www: missing required parameter "kind" ("jail" or "zone")'],
    ['an unknown kind', { ...www, kind: 'vm' }, 'www: "kind" must be "jail" or "zone" (got "vm")'],
    ['a jail named host', { ...www, name: 'host' }, 'host: "name" must not be "host" (it names the host cell)'],
    ['a zone named global', { ...db, zonename: 'global' }, 'global: "zonename" must not be "global" (it names the global zone)'],
    ['a spec that is not an object', ['www'], 'cell: must be a JSON object'],
  ])('reports %s', (_what, value, message) => {
    expect(errorsOf(value)).toEqual([message]);
  });

  it('names the kind when the cell has no name', () => {
    expect(errorsOf(without(db, 'zonename'))).toEqual(['zone: missing required property "zonename"']);
  });

  it('reports every error at once, prefixed with the file when given', () => {
    const spec = { ...without(www, 'path'), 'childen.max': 1, enforce_statfs: 3, 'allow.set_hostname': 'no', securelevel: 4 };
    expect(errorsOf(spec, 'www.jail.json')).toEqual([
      'www.jail.json: www: missing required parameter "path"',
      'www.jail.json: www: unknown parameter "childen.max" (did you mean "children.max"?)',
      'www.jail.json: www: "allow.set_hostname" must be a boolean',
      'www.jail.json: www: "securelevel" must be <= 3',
      'www.jail.json: www: "enforce_statfs" must be <= 2',
    ]);
  });

  it('accepts a valid spec and hands it back typed', () => {
    const result = validateSpec(www);
    expect(result).toEqual({ ok: true, spec: www });
    if (result.ok && result.spec.kind === 'jail') expect(result.spec['children.max']).toBe(1);
  });
});
