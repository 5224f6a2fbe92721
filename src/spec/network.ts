/**
 * The network checks a schema cannot express, on specs and scenarios: a zone's ip-type and net
 * resources in zonecfg's words (verify_func, validate_net_address_syntax), a jail's ip4/vnet
 * parameters, and across a scenario (issue 5: addresses well-formed, in a subnet of the host,
 * not used twice, a child's within its parent's; switches that exist). The same claims are
 * checked against a running kernel when a cell is defined (src/cells/registry.ts), through
 * checkAgainstHost. Pure functions over values the schema may have failed on too.
 */
import { INADDR_BROADCAST, formatCidr, formatIp, inSubnet, isLoopback, parseCidr, parseIp, type Cidr } from '../net/ipv4.js';
import { fieldName } from './messages.js';
import type { Finding } from './semantic.js';

/** The host's own switch, where restricted cells' aliases live and unnamed vnet interfaces go. */
export const DEFAULT_SWITCH = 'default';
/** The host's address when the scenario or the state directory names none (src/net/network.ts). */
export const DEFAULT_HOST_NETWORK = '192.0.2.1/24';

/** An address a cell's spec asks for, and where. */
export interface AddressClaim {
  /** The field, as segments below the cell ("ip4.addr", "0"). */
  readonly at: readonly string[];
  readonly address: number;
  /** An alias on the host's stack (ip4.addr, a shared-IP zone's net address); else an address of a stack of its own. */
  readonly restricted: boolean;
  /** The switch an own-stack address is on (restricted: the host's). */
  readonly switch: string;
}

/** A switch a cell's spec names (an interface "NAME@SWITCH"). */
export interface SwitchUse {
  readonly at: readonly string[];
  readonly switch: string;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function finding(at: readonly string[], text: string): Finding {
  return { at, text: `"${fieldName(at)}": ${text}` };
}

/** "epair0b@lab" → its name and switch (the host's when none is named). */
export function splitSwitch(iface: string): { name: string; switch: string | undefined } {
  const at = iface.indexOf('@');
  return at < 0 ? { name: iface, switch: undefined } : { name: iface.slice(0, at), switch: iface.slice(at + 1) };
}

/** A unicast address a cell may be given: not 0.0.0.0, broadcast, loopback or multicast. */
function unicast(address: number): boolean {
  return address !== 0 && address !== INADDR_BROADCAST && !isLoopback(address) && address >>> 28 !== 0xe;
}

/** A jail's name or a zone's zonename ("" when it has none). */
function nameOf(cell: Record<string, unknown>): string {
  const name = cell.kind === 'zone' ? cell.zonename : cell.name;
  return typeof name === 'string' ? name : '';
}

function isVnetJail(jail: Record<string, unknown>): boolean {
  return jail.vnet === 'new';
}

function isExclusive(zone: Record<string, unknown>): boolean {
  return zone['ip-type'] === 'exclusive';
}

/** The addresses a jail or zone spec claims (what it would be restricted to, or configure on its own stack). */
export function addressClaims(value: unknown): AddressClaim[] {
  const spec = record(value);
  const claims: AddressClaim[] = [];
  if (spec.kind === 'jail' && !isVnetJail(spec)) {
    strings(spec['ip4.addr']).forEach((text, i) => {
      const cidr = parseCidr(text.slice(text.indexOf('|') + 1));
      if (cidr !== undefined) claims.push({ at: ['ip4.addr', String(i)], address: cidr.address, restricted: true, switch: DEFAULT_SWITCH });
    });
  }
  if (spec.kind === 'zone') {
    const exclusive = isExclusive(spec);
    (Array.isArray(spec.net) ? spec.net : []).forEach((raw, i) => {
      const net = record(raw);
      const key = exclusive ? 'allowed-address' : 'address';
      const cidr = typeof net[key] === 'string' ? parseCidr(net[key]) : undefined;
      if (cidr === undefined) return;
      const sw = exclusive && typeof net.physical === 'string' ? splitSwitch(net.physical).switch : undefined;
      claims.push({ at: ['net', String(i), key], address: cidr.address, restricted: !exclusive, switch: sw ?? DEFAULT_SWITCH });
    });
  }
  return claims;
}

/** The switches a spec's interfaces name (vnet.interface "epair0b@lab", an exclusive zone's physical "vnic1@lab"). */
export function switchUses(value: unknown): SwitchUse[] {
  const spec = record(value);
  const uses: SwitchUse[] = [];
  const add = (at: string[], iface: unknown): void => {
    const sw = typeof iface === 'string' ? splitSwitch(iface).switch : undefined;
    if (sw !== undefined) uses.push({ at, switch: sw });
  };
  if (spec.kind === 'jail' && isVnetJail(spec)) strings(spec['vnet.interface']).forEach((iface, i) => add(['vnet.interface', String(i)], iface));
  if (spec.kind === 'zone' && isExclusive(spec)) {
    (Array.isArray(spec.net) ? spec.net : []).forEach((net, i) => add(['net', String(i), 'physical'], record(net).physical));
  }
  return uses;
}

/** The interfaces of a cell's own stack (a vnet jail's, an exclusive zone's), by name; none when it has no stack of its own. */
export function ownInterfaces(value: unknown): string[] | undefined {
  const spec = record(value);
  if (spec.kind === 'jail') return isVnetJail(spec) ? strings(spec['vnet.interface']).map((i) => splitSwitch(i).name) : undefined;
  if (spec.kind === 'zone' && isExclusive(spec)) {
    return (Array.isArray(spec.net) ? spec.net : []).map((n) => record(n).physical).filter((p): p is string => typeof p === 'string').map((p) => splitSwitch(p).name);
  }
  return undefined;
}

// ---- one cell ----

/** A jail's ip4 and vnet parameters. */
function checkJail(jail: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const addresses = strings(jail['ip4.addr']);
  if (isVnetJail(jail) && (addresses.length > 0 || jail.ip4 === 'new')) {
    // FreeBSD's kern_jail.c: a vnet jail's addresses are its own stack's business.
    findings.push(finding([addresses.length > 0 ? 'ip4.addr' : 'ip4'], 'vnet jails cannot have IP address restrictions'));
  }
  const seen = new Set<number>();
  addresses.forEach((text, i) => {
    const cidr = parseCidr(text.slice(text.indexOf('|') + 1));
    if (cidr === undefined) return; // the schema's pattern says why
    const at = ['ip4.addr', String(i)];
    if (!unicast(cidr.address)) findings.push(finding(at, `${formatIp(cidr.address)} is not a unicast address a jail can have`));
    else if (seen.has(cidr.address)) findings.push(finding(at, `${formatIp(cidr.address)} is given twice`));
    seen.add(cidr.address);
  });
  const names = new Set<string>();
  strings(jail['vnet.interface']).forEach((iface, i) => {
    const { name } = splitSwitch(iface);
    if (names.has(name)) findings.push(finding(['vnet.interface', String(i)], `${name} is given twice`));
    names.add(name);
  });
  return findings;
}

/**
 * zonecfg's address syntax check (validate_net_address_syntax): `<a>: bogus host name or
 * network address syntax`, `<a>: IPv4 address prefix lengths must be 0 - 32.` cellblock has no
 * resolver, so a host name is bogus too.
 */
function zoneAddress(text: string, at: string[], prefixed: boolean, findings: Finding[]): Cidr | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (ip === undefined || (slash >= 0 && (!prefixed || !/^\d+$/.test(text.slice(slash + 1))))) {
    findings.push(finding(at, `${text}: bogus host name or network address syntax`));
    return undefined;
  }
  if (slash >= 0 && Number(text.slice(slash + 1)) > 32) {
    findings.push(finding(at, `${text}: IPv4 address prefix lengths must be 0 - 32.`));
    return undefined;
  }
  if (!unicast(ip)) {
    findings.push(finding(at, `${formatIp(ip)} is not a unicast address a zone can have`));
    return undefined;
  }
  return { address: ip, prefix: slash < 0 ? 32 : Number(text.slice(slash + 1)) };
}

/** A zone's ip-type and net resources, as zonecfg's end and verify check them. */
function checkZone(zone: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const exclusive = isExclusive(zone);
  const nets = Array.isArray(zone.net) ? zone.net.map(record) : [];
  const seen = new Set<string>();
  const physicals = new Set<string>();
  nets.forEach((net, i) => {
    const at = ['net', String(i)];
    const physical = typeof net.physical === 'string' ? net.physical : undefined;
    if (physical !== undefined) {
      const { name, switch: sw } = splitSwitch(physical);
      if (name.includes(':')) findings.push(finding([...at, 'physical'], `${physical}: physical interface name required; logical interface name not allowed`));
      else if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) findings.push(finding([...at, 'physical'], `${physical}: not an interface name such as e1000g0 or vnic1`));
      if (sw !== undefined && !exclusive) findings.push(finding([...at, 'physical'], `a switch ("@${sw}") can be named only for an exclusive IP type`));
      if (sw !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(sw)) findings.push(finding([...at, 'physical'], `"${sw}" is not a switch name`));
      if (exclusive && physicals.has(name)) findings.push(finding([...at, 'physical'], `${name} is given twice (an exclusive-IP zone has one net resource, and one allowed-address, per interface)`));
      physicals.add(name);
    }
    const address = typeof net.address === 'string' ? net.address : undefined;
    const allowed = typeof net['allowed-address'] === 'string' ? net['allowed-address'] : undefined;
    const defrouter = typeof net.defrouter === 'string' ? net.defrouter : undefined;
    let cidr: Cidr | undefined;
    if (exclusive) {
      if (address !== undefined) findings.push(finding(at, 'address cannot be specified for an exclusive IP type'));
      if (allowed !== undefined) cidr = zoneAddress(allowed, [...at, 'allowed-address'], true, findings);
      if (defrouter !== undefined && allowed === undefined) {
        findings.push(finding(at, `defrouter for ${physical === undefined ? '' : splitSwitch(physical).name} cannot be specified without allowed-address for an exclusive IP type`));
      }
    } else {
      if (address === undefined) findings.push(finding(at, 'address not specified'));
      else cidr = zoneAddress(address, [...at, 'address'], true, findings);
      if (allowed !== undefined) findings.push(finding(at, 'allowed-address cannot be specified for a shared IP type'));
    }
    if (defrouter !== undefined) {
      const router = zoneAddress(defrouter, [...at, 'defrouter'], false, findings);
      // The default route goes through a neighbour on the interface's own subnet (a bare address: the host's).
      if (router !== undefined && cidr !== undefined && cidr.prefix < 32 && !inSubnet(router.address, cidr)) {
        findings.push(finding([...at, 'defrouter'], `${defrouter} is not in the subnet of ${formatCidr(cidr)}`));
      }
    }
    const key = `${physical ?? ''}|${address ?? allowed ?? ''}`;
    if (physical !== undefined && seen.has(key)) {
      findings.push(finding(at, `A net resource with the physical '${physical}', and ${exclusive ? 'allowed-address' : 'address'} '${address ?? allowed ?? ''}' already exists.`));
    }
    seen.add(key);
  });
  return findings;
}

/** A jail's or a zone's network fields on their own. */
export function checkCellNetwork(value: unknown): Finding[] {
  const spec = record(value);
  if (spec.kind === 'jail') return checkJail(spec);
  if (spec.kind === 'zone') return checkZone(spec);
  return [];
}

// ---- against a host (a scenario's, or the running kernel's) ----

/** What a cell's addresses are checked against: the host's subnets and switches, and the addresses others hold. */
export interface HostNetwork {
  /** The subnets of the host's interfaces (loopback aside). */
  readonly subnets: readonly Cidr[];
  readonly switches: ReadonlySet<string>;
  /** Who else holds `address`: who (as messages name it), its cell name, what. */
  holdersOf(address: number): readonly Holder[];
}

const NO_HOLDERS: readonly Holder[] = [];

/**
 * Holders of addresses, by address, kept as cells are defined and forgotten: a new cell's
 * addresses are checked with one lookup each, whatever the number of cells.
 */
export class AddressHolders {
  private readonly byAddress = new Map<number, Holder[]>();

  add(holder: Holder): void {
    const list = this.byAddress.get(holder.claim.address);
    if (list === undefined) this.byAddress.set(holder.claim.address, [holder]);
    else list.push(holder);
  }

  /** Forgets what cell `name` held at `addresses`. */
  remove(name: string, addresses: Iterable<number>): void {
    for (const address of addresses) {
      const left = (this.byAddress.get(address) ?? []).filter((h) => h.name !== name);
      if (left.length === 0) this.byAddress.delete(address);
      else this.byAddress.set(address, left);
    }
  }

  of(address: number): readonly Holder[] {
    return this.byAddress.get(address) ?? NO_HOLDERS;
  }
}

export interface Holder {
  readonly cell: string;
  readonly name: string;
  readonly claim: AddressClaim;
  /** The host's own address: a restricted cell may use it too (a jail on the host's address). */
  readonly host?: boolean;
}

/** Is `name` a dotted descendant of `other` or the other way round ("www.sub" and "www")? */
function related(name: string, other: string): boolean {
  return name.startsWith(`${other}.`) || other.startsWith(`${name}.`);
}

/**
 * A cell's claims against a host: each restricted address in a subnet of the host's
 * interfaces, no address held by another cell (a dotted jail may reuse its ancestors'), the
 * switches it names present.
 */
export function checkAgainstHost(value: unknown, name: string, host: HostNetwork): Finding[] {
  const findings: Finding[] = [];
  for (const claim of addressClaims(value)) {
    const ip = formatIp(claim.address);
    if (claim.restricted && !host.subnets.some((s) => inSubnet(claim.address, s))) {
      findings.push(finding(claim.at, `${ip} is not in a subnet of the host's (${host.subnets.map(formatSubnet).join(', ')})`));
      continue;
    }
    const holder = host.holdersOf(claim.address).find((h) => sameLink(h.claim, claim) && !shareable(h, claim, name));
    if (holder !== undefined) findings.push(finding(claim.at, `${ip} is already an address of ${holder.cell}`));
  }
  for (const use of switchUses(value)) {
    if (!host.switches.has(use.switch)) findings.push(finding(use.at, `no switch "${use.switch}" (the host has ${[...host.switches].map((s) => `"${s}"`).join(', ')})`));
  }
  return findings;
}

/** A restricted cell may use the host's own address, and a dotted jail its ancestors' (or they its). */
function shareable(holder: Holder, claim: AddressClaim, name: string): boolean {
  if (!claim.restricted) return false;
  return holder.host === true || (holder.claim.restricted && related(name, holder.name));
}

/** Two claims conflict when they are on the same switch (restricted aliases are on the host's). */
function sameLink(a: AddressClaim, b: AddressClaim): boolean {
  return a.switch === b.switch;
}

function formatSubnet(cidr: Cidr): string {
  const mask = cidr.prefix === 0 ? 0 : (0xffffffff << (32 - cidr.prefix)) >>> 0;
  return formatCidr({ address: (cidr.address & mask) >>> 0, prefix: cidr.prefix });
}

// ---- a scenario ----

/** A dotted jail's addresses must be its parent's (FreeBSD prison_ip_parent_match). */
function checkChild(cell: Record<string, unknown>, cells: readonly Record<string, unknown>[], i: number): Finding[] {
  const name = typeof cell.name === 'string' ? cell.name : '';
  const dot = name.lastIndexOf('.');
  if (cell.kind !== 'jail' || dot <= 0 || isVnetJail(cell)) return [];
  const parentName = name.slice(0, dot);
  const parent = cells.slice(0, i).find((c) => c.kind === 'jail' && c.name === parentName);
  // An unrestricted parent (ip4=inherit) or one with a stack of its own: the kernel decides.
  if (parent === undefined || isVnetJail(parent) || (parent.ip4 === 'inherit' && strings(parent['ip4.addr']).length === 0)) return [];
  const theirs = new Set(addressClaims(parent).map((c) => c.address));
  return addressClaims(cell)
    .filter((c) => !theirs.has(c.address))
    .map((c) => finding(c.at, `${formatIp(c.address)} is not an address of the parent jail "${parentName}"`));
}

/** The scenario's host network and links: the host's address, switches, links and capture. */
function checkScenarioHost(scenario: Record<string, unknown>, cells: readonly Record<string, unknown>[]): { findings: Finding[]; switches: Set<string>; subnet: Cidr | undefined } {
  const findings: Finding[] = [];
  const address = record(scenario.network).address;
  const subnet = parseCidr(typeof address === 'string' ? address : DEFAULT_HOST_NETWORK, 24);
  if (subnet !== undefined && !unicast(subnet.address)) findings.push(finding(['network', 'address'], `${formatIp(subnet.address)} is not a unicast address the host can have`));
  const switches = new Set<string>([DEFAULT_SWITCH]);
  (Array.isArray(scenario.switches) ? scenario.switches : []).forEach((sw, i) => {
    const name = record(sw).name;
    if (typeof name !== 'string') return;
    const at = ['switches', String(i), 'name'];
    if (name === DEFAULT_SWITCH) findings.push(finding(at, `"${DEFAULT_SWITCH}" is the host's switch: give its latency and loss in "network"`));
    else if (switches.has(name)) findings.push(finding(at, `"${name}" is given twice`));
    switches.add(name);
  });
  (Array.isArray(scenario.links) ? scenario.links : []).forEach((raw, i) => {
    const link = record(raw);
    const at = ['links', String(i)];
    if (typeof link.cell !== 'string') return;
    if (link.cell === 'host') {
      if (link.interface !== undefined && link.interface !== 'em0') findings.push(finding([...at, 'interface'], `the host's interface on its switch is em0, not ${String(link.interface)}`));
      return;
    }
    const cell = cells.find((c) => nameOf(c) === link.cell);
    if (cell === undefined) {
      findings.push(finding([...at, 'cell'], `unknown cell "${link.cell}"`));
      return;
    }
    const own = ownInterfaces(cell);
    if (own === undefined) findings.push(finding([...at, 'cell'], `"${link.cell}" has no link of its own: it shares the host's stack (a vnet jail or an exclusive-IP zone has one)`));
    else if (typeof link.interface === 'string' && !own.includes(link.interface)) {
      findings.push(finding([...at, 'interface'], `"${link.cell}" has no interface ${link.interface} (it has ${own.length === 0 ? 'none' : own.join(', ')})`));
    }
  });
  const pcap = scenario.pcap;
  const pcapSwitch = typeof pcap === 'object' && pcap !== null ? record(pcap).switch : undefined;
  if (typeof pcapSwitch === 'string' && !switches.has(pcapSwitch)) findings.push(finding(['pcap', 'switch'], `no switch "${pcapSwitch}"`));
  return { findings, switches, subnet };
}

/**
 * A scenario's network as a whole: its host, switches, links and capture; each cell's
 * addresses in the host's subnet and not used twice (a dotted jail may reuse its parent's,
 * and must: a child's addresses are within its parent's); the switches cells name declared.
 */
export function checkScenarioNetwork(scenario: unknown): Finding[] {
  const value = record(scenario);
  const cells = (Array.isArray(value.cells) ? value.cells : []).map(record);
  const { findings, switches, subnet } = checkScenarioHost(value, cells);
  const held = new AddressHolders();
  if (subnet !== undefined) held.add({ cell: 'the host', name: '', claim: { at: [], address: subnet.address, restricted: false, switch: DEFAULT_SWITCH }, host: true });
  const host: HostNetwork = { subnets: subnet === undefined ? [] : [subnet], switches, holdersOf: (address) => held.of(address) };
  cells.forEach((cell, i) => {
    const name = nameOf(cell);
    const own = [...checkAgainstHost(cell, name, host), ...checkChild(cell, cells, i)];
    findings.push(...own.map((f) => ({ at: ['cells', String(i)], text: f.text })));
    for (const claim of addressClaims(cell)) held.add({ cell: `cells[${i}] (${name})`, name, claim });
  });
  return findings;
}
