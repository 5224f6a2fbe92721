/**
 * A scenario's network beyond the host's address (which boot takes): its extra switches, the
 * latency and loss of particular links, and which switch a capture taps. The switches are made
 * before any cell is defined (a cell's spec may name one); a cell's links are set each time it
 * starts, since its interfaces are made anew then. The kernel's network (k.net) owns the
 * switches and ports; this only configures them, as a host administrator would.
 */
import type { Kernel } from '../kernel/kernel.js';
import type { Iface } from '../net/iface.js';
import { DEFAULT_SWITCH } from '../spec/network.js';
import type { Scenario, ScenarioLink } from '../spec/index.js';

/** Makes the scenario's switches and sets the host's link; returns transcript lines saying so. */
export function setUpNetwork(k: Kernel, scenario: Scenario): string[] {
  const lines: string[] = [];
  const net = scenario.network;
  if (net !== undefined) lines.push(`- host ${net.address ?? 'em0'}${settings(net)}`);
  for (const sw of scenario.switches ?? []) {
    k.net.switchNamed(sw.name, true, { latency: sw.latency, loss: sw.loss });
    lines.push(`- switch ${sw.name}${settings(sw)}`);
  }
  applyLinks(k, scenario, 'host');
  return lines;
}

function settings(s: { latency?: number; loss?: number }): string {
  const parts = [...(s.latency === undefined ? [] : [`latency ${s.latency}`]), ...(s.loss === undefined ? [] : [`loss ${s.loss}`])];
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** The switch a capture taps: the scenario's `pcap.switch`, else the host's. */
export function pcapSwitch(scenario: Scenario): string {
  const pcap = scenario.pcap;
  return typeof pcap === 'object' ? (pcap.switch ?? DEFAULT_SWITCH) : DEFAULT_SWITCH;
}

/** The pcap file a scenario names, if any. */
export function pcapFile(scenario: Scenario): string | undefined {
  const pcap = scenario.pcap;
  return typeof pcap === 'string' ? pcap : pcap?.file;
}

/** Sets the latency and loss of the links the scenario gives for `cell` ("host": the host's em0). */
export function applyLinks(k: Kernel, scenario: Scenario, cell: string): void {
  for (const link of scenario.links ?? []) {
    if (link.cell !== cell) continue;
    for (const iface of linkedInterfaces(k, link)) {
      if (iface.port === null) continue;
      if (link.latency !== undefined) iface.port.latency = link.latency;
      if (link.loss !== undefined) iface.port.loss = link.loss;
    }
  }
}

/** The interfaces a link names: the host's own, or those of a cell's own stack (validation saw it has one). */
function linkedInterfaces(k: Kernel, link: ScenarioLink): Iface[] {
  if (link.cell === 'host') return [k.net.hostIface];
  const id = k.cell(link.cell)?.id;
  const view = id === undefined ? undefined : k.cells.get(id)?.ns.net;
  if (view === undefined || view === null || !view.ownsStack) return [];
  return [...view.stack.ifaces.values()].filter((i) => !i.loopback && (link.interface === undefined || i.name === link.interface));
}
