// Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) into the functions that spent the most
// self time, grouped by function and source location, with paths shown relative to the repository.

/** A node of the profile's call tree. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

/** The parts of a `.cpuprofile` this reads. */
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** One function's share of the samples. */
export interface HotFunction {
  name: string;
  /** `path:line` (1-based), relative to the repository where it is inside it. */
  location: string;
  selfMs: number;
  /** Of all non-idle samples. */
  selfPercent: number;
}

function location(frame: ProfileNode["callFrame"], root: string): string {
  if (frame.url === "") return "";
  let path = frame.url.replace(/^file:\/\//, "");
  if (path.startsWith(`${root}/`)) path = path.slice(root.length + 1);
  const modules = path.lastIndexOf("node_modules/");
  if (modules !== -1) path = path.slice(modules);
  return `${path}:${frame.lineNumber + 1}`;
}

/** Self time per node id in µs, leaving out samples taken in the first `skipMs` of the profile. */
function selfTimes(profile: CpuProfile, skipMs: number): Map<number, number> {
  const times = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  if (!samples || !timeDeltas) {
    const perHit =
      (profile.endTime - profile.startTime) /
      Math.max(
        1,
        profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0),
      );
    for (const node of profile.nodes) times.set(node.id, (node.hitCount ?? 0) * perHit);
    return times;
  }
  let elapsed = 0;
  for (let i = 0; i < samples.length; i++) {
    const delta = timeDeltas[i] ?? 0;
    elapsed += delta;
    if (elapsed < skipMs * 1000) continue;
    times.set(samples[i]!, (times.get(samples[i]!) ?? 0) + delta);
  }
  return times;
}

/** Where self time went: the top functions, and the top source files (a whole module's share). */
export interface HotSpots {
  functions: HotFunction[];
  /** `location` is a file (no line); native code and V8's own entries each count as one. */
  files: HotFunction[];
}

/**
 * The `count` functions and files with the most self time; `root` is the repository's absolute
 * path, and the first `skipMs` of the profile (start-up and warm-up) are left out.
 */
export function hotSpots(json: string, options: { count: number; root: string; skipMs?: number }): HotSpots {
  const profile = JSON.parse(json) as CpuProfile;
  const times = selfTimes(profile, options.skipMs ?? 0);
  const byFunction = new Map<string, { name: string; location: string; us: number }>();
  const byFile = new Map<string, { name: string; location: string; us: number }>();
  const add = (into: typeof byFunction, key: string, name: string, where: string, us: number) => {
    const entry = into.get(key) ?? { name, location: where, us: 0 };
    entry.us += us;
    into.set(key, entry);
  };
  let busy = 0;
  for (const node of profile.nodes) {
    const us = times.get(node.id) ?? 0;
    const name = node.callFrame.functionName || "(anonymous)";
    if (us === 0 || name === "(idle)") continue;
    busy += us;
    const where = location(node.callFrame, options.root);
    add(byFunction, `${name}@${where}`, name, where, us);
    const file = where.replace(/:\d+$/, "");
    const native = name.startsWith("(") ? name : "(native code)";
    add(byFile, file || native, file ? "" : native, file, us);
  }
  const top = (from: typeof byFunction) =>
    [...from.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, options.count)
      .map((f) => ({
        name: f.name,
        location: f.location,
        selfMs: f.us / 1000,
        selfPercent: busy > 0 ? (100 * f.us) / busy : 0,
      }));
  return { functions: top(byFunction), files: top(byFile) };
}
