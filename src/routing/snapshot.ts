// The immutable config snapshot: built once per committed admin write, read by every
// request without locks. Requests keep the snapshot they started with.
import { bySpecificity, type CompiledGlob, compileGlob, isGlob } from "./glob.js";
import type { ProviderConfig, Route, Target } from "./types.js";

/** A mapping as the snapshot builder receives it. */
export interface MappingInput {
  alias: string;
  targets: Target[];
}

/** An immutable view of providers and mappings with compiled matchers. */
export class ConfigSnapshot {
  /** Increases with every rebuild; shown by /health. */
  readonly version: number;
  readonly providers: ReadonlyMap<string, ProviderConfig>;
  private readonly exact: ReadonlyMap<string, Route>;
  private readonly globs: ReadonlyArray<{ glob: CompiledGlob; route: Route }>;

  constructor(options: { version: number; providers: ProviderConfig[]; mappings: MappingInput[] }) {
    this.version = options.version;
    this.providers = new Map(options.providers.map((p) => [p.id, p]));
    const exact = new Map<string, Route>();
    const globs: Array<{ glob: CompiledGlob; route: Route }> = [];
    for (const mapping of options.mappings) {
      const route: Route = Object.freeze({
        alias: mapping.alias,
        targets: Object.freeze([...mapping.targets]),
      });
      if (isGlob(mapping.alias)) globs.push({ glob: compileGlob(mapping.alias), route });
      else exact.set(mapping.alias.toLowerCase(), route);
    }
    globs.sort((a, b) => bySpecificity(a.glob, b.glob));
    this.exact = exact;
    this.globs = globs;
  }

  /** The route for a client model name: an exact alias first, then the most specific glob. */
  resolve(model: string): Route | undefined {
    const exact = this.exact.get(model.toLowerCase());
    if (exact) return exact;
    return this.globs.find(({ glob }) => glob.regex.test(model))?.route;
  }

  /** Every alias, exact ones first, for /v1/models and "unknown model" errors. */
  aliases(): string[] {
    return [...[...this.exact.values()].map((r) => r.alias), ...this.globs.map((g) => g.glob.pattern)];
  }

  /** Whether any provider is configured at all. */
  get isEmpty(): boolean {
    return this.providers.size === 0;
  }
}

/** Holds the current snapshot; a swap is one reference assignment, so readers never see half a config. */
export class SnapshotHolder {
  private snapshot: ConfigSnapshot;

  constructor(initial: ConfigSnapshot) {
    this.snapshot = initial;
  }

  /** The snapshot in force now. */
  current(): ConfigSnapshot {
    return this.snapshot;
  }

  /** Replaces the snapshot; requests in flight keep the one they read. */
  swap(next: ConfigSnapshot): void {
    this.snapshot = next;
  }
}
