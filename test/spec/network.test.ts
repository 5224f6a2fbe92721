// Network fields of specs and scenarios: a zone's ip-type and net resources in zonecfg's words,
// a jail's ip4/vnet parameters, and a scenario's addresses (in the host's subnet, not used
// twice, a child's within its parent's), switches, links and capture.
import { describe, expect, it } from 'vitest';
import { validateScenario, validateSpec } from '../../src/spec/index.js';
import { db, www } from './fixtures.js';

function specErrors(value: unknown): string[] {
  const result = validateSpec(value);
  return result.ok ? [] : result.errors;
}

function scenarioErrors(value: unknown): string[] {
  const result = validateScenario(value);
  return result.ok ? [] : result.errors;
}

const zone = (net: unknown[], ipType?: string): unknown => ({ ...db, ...(ipType === undefined ? {} : { 'ip-type': ipType }), net });

describe('zone net resources', () => {
  it('accepts a shared-IP and an exclusive-IP zone as zonecfg would', () => {
    expect(specErrors(zone([{ address: '192.0.2.30/24', physical: 'em0', defrouter: '192.0.2.254' }]))).toEqual([]);
    expect(specErrors(zone([{ physical: 'vnic1@lab', 'allowed-address': '192.0.2.40/24', defrouter: '192.0.2.1' }], 'exclusive'))).toEqual([]);
    expect(specErrors(zone([], 'exclusive'))).toEqual([]);
  });

  it.each([
    ['a shared-IP net without an address', zone([{ physical: 'em0' }]), 'db: "net[0]": address not specified'],
    ['an exclusive-IP net with an address', zone([{ physical: 'vnic1', address: '192.0.2.40/24' }], 'exclusive'), 'db: "net[0]": address cannot be specified for an exclusive IP type'],
    ['a shared-IP net with an allowed-address', zone([{ physical: 'em0', address: '192.0.2.30/24', 'allowed-address': '192.0.2.31/24' }]), 'db: "net[0]": allowed-address cannot be specified for a shared IP type'],
    ['a defrouter without allowed-address', zone([{ physical: 'vnic1', defrouter: '192.0.2.1' }], 'exclusive'), 'db: "net[0]": defrouter for vnic1 cannot be specified without allowed-address for an exclusive IP type'],
    ['a bogus address', zone([{ physical: 'em0', address: 'www.example.org' }]), 'db: "net[0].address": www.example.org: bogus host name or network address syntax'],
    ['a prefix past 32', zone([{ physical: 'em0', address: '192.0.2.30/33' }]), 'db: "net[0].address": 192.0.2.30/33: IPv4 address prefix lengths must be 0 - 32.'],
    ['a defrouter with a prefix', zone([{ physical: 'em0', address: '192.0.2.30/24', defrouter: '192.0.2.1/24' }]), 'db: "net[0].defrouter": 192.0.2.1/24: bogus host name or network address syntax'],
    ['a defrouter off the subnet', zone([{ physical: 'vnic1', 'allowed-address': '192.0.2.40/24', defrouter: '198.51.100.1' }], 'exclusive'), 'db: "net[0].defrouter": 198.51.100.1 is not in the subnet of 192.0.2.40/24'],
    ['a loopback address', zone([{ physical: 'em0', address: '127.0.0.2' }]), 'db: "net[0].address": 127.0.0.2 is not a unicast address a zone can have'],
    ['a logical interface for an exclusive zone', zone([{ physical: 'vnic1:1', 'allowed-address': '192.0.2.40/24' }], 'exclusive'), 'db: "net[0].physical": vnic1:1: physical interface name required; logical interface name not allowed'],
    ['a switch for a shared-IP zone', zone([{ physical: 'em0@lab', address: '192.0.2.30/24' }]), 'db: "net[0].physical": a switch ("@lab") can be named only for an exclusive IP type'],
    ['the same net resource twice', zone([{ physical: 'em0', address: '192.0.2.30/24' }, { physical: 'em0', address: '192.0.2.30/24' }]), 'db: "net[1]": A net resource with the physical \'em0\', and address \'192.0.2.30/24\' already exists.'],
    ['an exclusive interface twice', zone([{ physical: 'vnic1', 'allowed-address': '192.0.2.40/24' }, { physical: 'vnic1', 'allowed-address': '192.0.2.41/24' }], 'exclusive'), 'db: "net[1].physical": vnic1 is given twice (an exclusive-IP zone has one net resource, and one allowed-address, per interface)'],
    ['an unknown ip-type', { ...db, 'ip-type': 'excl' }, 'db: "ip-type" must be "shared" or "exclusive"'],
    ['a net without physical', zone([{ address: '192.0.2.30/24' }]), 'db: missing required property "net[0].physical"'],
  ])('reports %s', (_what, value, message) => {
    expect(specErrors(value)).toEqual([message]);
  });
});

describe('jail network parameters', () => {
  it.each([
    ['ip4.addr on a vnet jail', { ...www, vnet: 'new', 'ip4.addr': ['192.0.2.10'] }, 'www: "ip4.addr": vnet jails cannot have IP address restrictions'],
    ['ip4=new on a vnet jail', { ...www, vnet: 'new', ip4: 'new' }, 'www: "ip4": vnet jails cannot have IP address restrictions'],
    ['an address given twice', { ...www, 'ip4.addr': ['192.0.2.10', 'em0|192.0.2.10/24'] }, 'www: "ip4.addr[1]": 192.0.2.10 is given twice'],
    ['the broadcast address', { ...www, 'ip4.addr': ['255.255.255.255'] }, 'www: "ip4.addr[0]": 255.255.255.255 is not a unicast address a jail can have'],
    ['a vnet interface twice', { ...www, vnet: 'new', 'vnet.interface': ['epair0b', 'epair0b@lab'] }, 'www: "vnet.interface[1]": epair0b is given twice'],
    ['a bad switch syntax', { ...www, vnet: 'new', 'vnet.interface': ['epair0b@'] }, 'www: "vnet.interface[0]" must be an interface name such as epair0b, optionally followed by @ and a switch name (got "epair0b@")'],
  ])('reports %s', (_what, value, message) => {
    expect(specErrors(value)).toEqual([message]);
  });
});

describe('a scenario\'s network', () => {
  const jail = (name: string, addresses: string[], extra: Record<string, unknown> = {}): Record<string, unknown> =>
    ({ kind: 'jail', name, path: `/jails/${name}`, 'ip4.addr': addresses, ...extra });
  const run = (cells: unknown[], more: Record<string, unknown> = {}): string[] => scenarioErrors({ cells, steps: [], ...more });

  it('accepts distinct addresses in the host\'s subnet, a child reusing its parent\'s, and declared switches', () => {
    expect(run([
      jail('www', ['192.0.2.10', '192.0.2.11'], { 'children.max': 1 }),
      jail('www.sub', ['192.0.2.11']),
      jail('mail', ['192.0.2.1']),
      { ...db, 'ip-type': 'exclusive', net: [{ physical: 'vnic1@lab', 'allowed-address': '10.0.0.2/24' }] },
      { kind: 'jail', name: 'v', path: '/v', vnet: 'new', 'vnet.interface': ['epair0b@lab'] },
    ], { switches: [{ name: 'lab', latency: 2, loss: 0.1 }], links: [{ cell: 'v', interface: 'epair0b', loss: 0.5 }, { cell: 'host', latency: 3 }], pcap: { switch: 'lab', file: 'lab.pcap' } })).toEqual([]);
  });

  it('reports an address used twice, outside the host\'s subnet, or outside the parent\'s, naming the field', () => {
    expect(run([
      jail('www', ['192.0.2.10'], { 'children.max': 1 }),
      jail('www.sub', ['192.0.2.12']),
      jail('mail', ['192.0.2.10']),
      { ...db, net: [{ address: '198.51.100.7/24', physical: 'em0' }] },
      { ...db, zonename: 'x', zonepath: '/zones/x', 'ip-type': 'exclusive', net: [{ physical: 'vnic1', 'allowed-address': '192.0.2.1/24' }] },
    ])).toEqual([
      'cells[1] (www.sub): "ip4.addr[0]": 192.0.2.12 is not an address of the parent jail "www"',
      'cells[2] (mail): "ip4.addr[0]": 192.0.2.10 is already an address of cells[0] (www)',
      'cells[3] (db): "net[0].address": 198.51.100.7 is not in a subnet of the host\'s (192.0.2.0/24)',
      'cells[4] (x): "net[0].allowed-address": 192.0.2.1 is already an address of the host',
    ]);
  });

  it('checks addresses against the scenario\'s host network, and a child of an address-less parent', () => {
    expect(run([jail('www', ['192.0.2.10'])], { network: { address: '198.51.100.1/24' } }))
      .toEqual(['cells[0] (www): "ip4.addr[0]": 192.0.2.10 is not in a subnet of the host\'s (198.51.100.0/24)']);
    expect(run([{ kind: 'jail', name: 'www', path: '/www', 'children.max': 1 }, jail('www.sub', ['192.0.2.12'])]))
      .toEqual(['cells[1] (www.sub): "ip4.addr[0]": 192.0.2.12 is not an address of the parent jail "www"']);
  });

  it('reports undeclared switches, bad links and a capture of no switch', () => {
    expect(run([
      { kind: 'jail', name: 'v', path: '/v', vnet: 'new', 'vnet.interface': ['epair0b@lab'] },
      jail('www', ['192.0.2.10']),
    ], {
      switches: [{ name: 'default' }, { name: 'lab2' }, { name: 'lab2' }],
      links: [{ cell: 'www' }, { cell: 'v', interface: 'epair1b' }, { cell: 'nope' }, { cell: 'host', interface: 'em1' }],
      pcap: { switch: 'lab', file: 'x.pcap' },
    })).toEqual([
      '"switches[0].name": "default" is the host\'s switch: give its latency and loss in "network"',
      '"switches[2].name": "lab2" is given twice',
      '"links[0].cell": "www" has no link of its own: it shares the host\'s stack (a vnet jail or an exclusive-IP zone has one)',
      '"links[1].interface": "v" has no interface epair1b (it has epair0b)',
      '"links[2].cell": unknown cell "nope"',
      '"links[3].interface": the host\'s interface on its switch is em0, not em1',
      '"pcap.switch": no switch "lab"',
      'cells[0] (v): "vnet.interface[0]": no switch "lab" (the host has "default", "lab2")',
    ]);
  });

  it('checks the shape of the network fields with the schema', () => {
    expect(run([], { network: { address: '192.0.2.1' }, switches: [{ name: 'a b', loss: 2 }], pcap: '' })).toEqual([
      '"network.address" must be an IPv4 address with a /prefix, such as 192.0.2.1/24 (got "192.0.2.1")',
      '"switches[0].name" must be letters, digits, "_", "-" and "." (got "a b")',
      '"switches[0].loss" must be <= 1',
      '"pcap" must not be empty',
    ]);
  });
});
