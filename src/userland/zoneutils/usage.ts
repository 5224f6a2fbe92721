/**
 * zoneadm's usage texts, worded as zoneadm.c prints them, for the subcommands this zoneadm has:
 * usage() lists them (with their long help when asked for with `help` or `-?`, on stdout;
 * otherwise on stderr), sub_usage() shows one.
 */

interface Help {
  readonly short: string;
  readonly long: string;
}

const HELP: Readonly<Record<string, Help>> = {
  help: { short: 'help', long: 'Print usage message.' },
  boot: { short: 'boot', long: 'Activates (boots) specified zone.' },
  halt: { short: 'halt', long: 'Halts specified zone, bypassing shutdown scripts and removing runtime\n\tresources of the zone.' },
  ready: { short: 'ready', long: 'Prepares a zone for running applications but does not start any user\n\tprocesses in the zone.' },
  reboot: { short: 'reboot', long: 'Restarts the zone (equivalent to a halt / boot sequence).\n\tFails if the zone is not active.' },
  list: {
    short: 'list [-cipv]',
    long:
      'Lists the current zones, or a specific zone if indicated.  By default,\n\tall running zones are listed, though this can be expanded to all\n\t' +
      'installed zones with the -i option or all configured zones with the\n\t-c option.  When used with the general -z <zone> option, lists only the\n\t' +
      'specified zone, but lists it regardless of its state, and the -i and -c\n\toptions are disallowed.  The -v option can be used to display verbose\n\t' +
      'information: zone name, id, current state, root directory and options.\n\tThe -p option can be used to request machine-parsable output.  The -v\n\t' +
      'and -p options are mutually exclusive.  If neither -v nor -p is used,\n\tjust the zone name is listed.',
  },
  install: { short: 'install', long: 'Install the configuration on to the system.' },
  uninstall: { short: 'uninstall [-F]', long: 'Uninstall the configuration from the system.  The -F flag can be used\n\tto force the action.' },
};

export const SUBCOMMANDS: readonly string[] = Object.keys(HELP);

/** usage(): the whole summary; `explicit` (help, -?) adds each subcommand's long help. */
export function usage(explicit: boolean): string {
  let text = 'usage:\tzoneadm help\n\tzoneadm [-z <zone>] list\n\tzoneadm -z <zone> <subcommand>\n\nSubcommands:\n\n';
  for (const help of Object.values(HELP)) text += explicit ? `${help.short}\n\t${help.long}\n\n` : `${help.short}\n`;
  return explicit ? text : `${text}\n`;
}

/** sub_usage(): one subcommand's usage and long help, for stderr. */
export function subUsage(command: string): string {
  const help = HELP[command]!;
  return `usage:\t${help.short}\n\t${help.long}\n`;
}
