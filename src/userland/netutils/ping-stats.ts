/**
 * ping's counters and its closing report, in FreeBSD ping's words (finish() in ping.c). Pure:
 * a PingStats is owned by the one ping run that fills it.
 */

export class PingStats {
  transmitted = 0;
  received = 0;
  repeats = 0;
  /** Replies that came later than -W allowed: counted as received, not printed. */
  outOfWaitTime = 0;
  tmin = Infinity;
  tmax = 0;
  tsum = 0;
  tsumsq = 0;
  private readonly seen = new Set<number>();

  /** Records a reply to `seq` with its round trip (undefined when the data had no timestamp); true if it is a duplicate. */
  reply(seq: number, trip: number | undefined): boolean {
    this.received++;
    if (trip !== undefined) {
      this.tsum += trip;
      this.tsumsq += trip * trip;
      this.tmin = Math.min(this.tmin, trip);
      this.tmax = Math.max(this.tmax, trip);
    }
    if (this.seen.has(seq)) {
      this.repeats++;
      this.received--;
      return true;
    }
    this.seen.add(seq);
    return false;
  }
}

/** `64 bytes from 192.0.2.1: icmp_seq=0 ttl=64 time=0.000 ms`, as pr_pack prints a reply. */
export function replyLine(bytes: number, from: string, seq: number, ttl: number, trip: number | undefined, dup: boolean): string {
  const time = trip === undefined ? '' : ` time=${trip.toFixed(3)} ms`;
  return `${bytes} bytes from ${from}: icmp_seq=${seq} ttl=${ttl}${time}${dup ? ' (DUP!)' : ''}\n`;
}

/** The statistics ping prints when it finishes; `timing` is false when the data carried no timestamp. */
export function summary(host: string, s: PingStats, timing: boolean): string {
  let out = `\n--- ${host} ping statistics ---\n`;
  out += `${s.transmitted} packets transmitted, ${s.received} packets received, `;
  if (s.repeats > 0) out += `+${s.repeats} duplicates, `;
  if (s.transmitted > 0) {
    out += s.received > s.transmitted ? "-- somebody's printing up packets!" : `${(((s.transmitted - s.received) * 100) / s.transmitted).toFixed(1)}% packet loss`;
  }
  if (s.outOfWaitTime > 0) out += `, ${s.outOfWaitTime} packets out of wait time`;
  out += '\n';
  if (s.received > 0 && timing) {
    const n = s.received + s.repeats;
    const avg = s.tsum / n;
    // Rounding can make the variance a hair below zero when every trip took the same time.
    const stddev = Math.sqrt(Math.max(0, s.tsumsq / n - avg * avg));
    out += `round-trip min/avg/max/stddev = ${[s.tmin, avg, s.tmax, stddev].map((x) => x.toFixed(3)).join('/')} ms\n`;
  }
  return out;
}
