// update_mask resolution (AIP-134): the paths a client names are checked against the
// resource's writable fields and expanded to leaf fields ("timeouts" → every timeout);
// an empty mask means every writable field.
import type { FieldMask } from "@bufbuild/protobuf/wkt";
import { invalidArgument } from "../connect-errors.js";

/** What a resource allows in an update mask. */
export interface MaskSpec {
  /** Writable leaf paths, snake_case, dotted for sub-messages ("timeouts.connect"). */
  writable: readonly string[];
  /** Output-only fields, refused with a message that says so. */
  outputOnly: readonly string[];
}

/** The writable leaves an update touches, and whether the client named them. */
export interface ResolvedMask {
  fields: ReadonlySet<string>;
  /** False when the mask was empty (every writable field). */
  explicit: boolean;
}

/** Resolves an update mask against a resource's spec. */
export function resolveMask(mask: FieldMask | undefined, spec: MaskSpec): ResolvedMask {
  const paths = mask?.paths ?? [];
  if (paths.length === 0) return { fields: new Set(spec.writable), explicit: false };
  const fields = new Set<string>();
  for (const given of paths) {
    // Binary clients may send the JSON spelling (baseUrl); the message's own paths are snake_case.
    const path = given.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (path === "id")
      throw invalidArgument("update_mask", "id cannot be changed: it names the resource to update");
    if (spec.outputOnly.includes(path)) throw invalidArgument("update_mask", `${path} is output only`);
    const leaves = spec.writable.filter((leaf) => leaf === path || leaf.startsWith(`${path}.`));
    if (leaves.length === 0) {
      throw invalidArgument(
        "update_mask",
        `unknown field ${JSON.stringify(path)}; writable fields are ${spec.writable.join(", ")}`,
      );
    }
    for (const leaf of leaves) fields.add(leaf);
  }
  return { fields, explicit: true };
}
