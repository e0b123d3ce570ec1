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

/** The `count` functions with the most self time; `root` is the repository's absolute path. */
export function topSelfTime(json: string, options: { count: number; root: string }): HotFunction[] {
  const profile = JSON.parse(json) as CpuProfile;
  const sampleCount =
    profile.samples?.length ?? profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
  const msPerSample = sampleCount > 0 ? (profile.endTime - profile.startTime) / 1000 / sampleCount : 0;
  const hits = new Map<number, number>();
  if (profile.samples) for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);
  const byFunction = new Map<string, { name: string; location: string; samples: number }>();
  let busy = 0;
  for (const node of profile.nodes) {
    const samples = hits.get(node.id) ?? 0;
    const name = node.callFrame.functionName || "(anonymous)";
    if (samples === 0 || name === "(idle)") continue;
    busy += samples;
    const where = location(node.callFrame, options.root);
    const key = `${name}@${where}`;
    const entry = byFunction.get(key) ?? { name, location: where, samples: 0 };
    entry.samples += samples;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()]
    .sort((a, b) => b.samples - a.samples)
    .slice(0, options.count)
    .map((f) => ({
      name: f.name,
      location: f.location,
      selfMs: f.samples * msPerSample,
      selfPercent: busy > 0 ? (100 * f.samples) / busy : 0,
    }));
}
