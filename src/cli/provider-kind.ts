// The provider kind as operators type it ("openai", "anthropic") and as the API spells it.
import { ProviderKind } from "../gen/parley/admin/v1/provider_pb.js";

const BY_NAME: Record<string, ProviderKind> = {
  openai: ProviderKind.OPENAI,
  anthropic: ProviderKind.ANTHROPIC,
};

/** The kinds operators can type, for messages. */
export const KIND_NAMES = Object.keys(BY_NAME);

/** Parses "openai" or "anthropic" (any case); undefined for anything else. */
export function parseKind(text: string): ProviderKind | undefined {
  return BY_NAME[text.trim().toLowerCase()];
}

/** The name operators type for a kind. */
export function formatKind(kind: ProviderKind): string {
  return Object.entries(BY_NAME).find(([, value]) => value === kind)?.[0] ?? "unspecified";
}
