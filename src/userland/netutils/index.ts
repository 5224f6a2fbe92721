/** The network utilities, by the name their file gives (`#!builtin ifconfig`): /sbin, /usr/bin, /usr/sbin. */
import type { Program } from '../../kernel/abi.js';
import { fetch } from './fetch.js';
import { httpd } from './httpd.js';
import { ifconfig } from './ifconfig.js';
import { nc } from './nc.js';
import { netstat } from './netstat.js';
import { ping } from './ping.js';
import { route } from './route.js';

export const netUtils: Record<string, Program> = { ifconfig, route, ping, nc, netstat, fetch, httpd };
