// Anthropic message and tool-use ids for an upstream answer. The message id is derived
// from the upstream's completion id so logs on both sides can be matched.
import { randomUUID } from "node:crypto";
import { sanitizeToolId } from "../tool-identity.js";

/** `msg_` + the upstream id (a fresh one when the upstream sent none). */
export function messageId(upstreamId: unknown): string {
  const cleaned = typeof upstreamId === "string" ? upstreamId.replace(/[^a-zA-Z0-9_-]/g, "") : "";
  return `msg_${cleaned || randomUUID().replace(/-/g, "")}`;
}

/**
 * The client's id for an upstream tool call: the upstream's id made Anthropic-safe
 * (edge 18), or one derived from the message id when the upstream sent none.
 */
export function toolUseId(upstreamId: unknown, msgId: string, ordinal: number): string {
  if (typeof upstreamId === "string" && upstreamId !== "") return sanitizeToolId(upstreamId);
  return `toolu_${msgId.replace(/^msg_/, "")}_${ordinal}`;
}
