// The request's cancellation: aborts once, with its reason, running each listener once and
// none that was removed — what the target loop's sleep and the upstream request rely on.
import { describe, expect, it } from "vitest";
import { OneShotCancellation } from "../../../src/core/cancellation.js";

describe("OneShotCancellation", () => {
  it("runs every listener once, keeps the first reason, and skips removed listeners", () => {
    const cancellation = new OneShotCancellation();
    const calls: string[] = [];
    const removed = () => calls.push("removed");
    cancellation.addEventListener("abort", () => calls.push("a"));
    cancellation.addEventListener("abort", removed);
    cancellation.addEventListener("abort", () => calls.push("b"));
    cancellation.removeEventListener("abort", removed);
    const first = new Error("client closed the connection");
    cancellation.abort(first);
    cancellation.abort(new Error("again"));
    expect(calls).toEqual(["a", "b"]);
    expect(cancellation.aborted).toBe(true);
    expect(cancellation.reason).toBe(first);
  });

  it("is not aborted until abort is called", () => {
    const cancellation = new OneShotCancellation();
    expect(cancellation.aborted).toBe(false);
    expect(cancellation.reason).toBeUndefined();
  });
});
