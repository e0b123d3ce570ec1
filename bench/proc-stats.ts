// What a target process costs, read from Linux /proc: resident memory and CPU time (user + system,
// every thread). Elsewhere `ps` gives the RSS and CPU time is unknown (NaN).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's times (100 on every Linux the bench has met). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(String(execFileSync("getconf", ["CLK_TCK"])).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Resident set size of a process in KiB. */
export function rssKiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    if (match) return Number(match[1]);
  } catch {
    // not Linux: fall through to ps
  }
  return Number(String(execFileSync("ps", ["-o", "rss=", "-p", String(pid)])).trim());
}

/** CPU time a process has used so far (utime + stime), µs; NaN where /proc is missing. */
export function cpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks / TICKS_PER_SECOND) * 1e6;
  } catch {
    return Number.NaN;
  }
}
