// The fuzz case generator: a valid request for one endpoint and one provider kind, then
// mutations of its tree, of its bytes, of its content-type and of its delivery. Weights
// keep most bodies small and most deliveries whole, with a few huge and cut-off ones.
import fc from "fast-check";
import { type CaseSpec, type Delivery, type Endpoint, type Framing, FuzzCase } from "./fuzz-case.js";
import type { Tree } from "./json-tree.js";
import { mutations } from "./mutations.js";
import { anthropicRequest, openaiRequest, type ProviderKind } from "./valid-requests.js";

const target = fc.constantFrom<ProviderKind>("anthropic", "openai");

/** The endpoint, the provider kind its model routes to, and a valid request for both. */
const aimedRequest: fc.Arbitrary<Pick<CaseSpec, "endpoint" | "target" | "request">> = fc.oneof(
  {
    weight: 2,
    arbitrary: target.chain((t) =>
      anthropicRequest(t, { countTokens: false }).map((request) => ({
        endpoint: "/v1/messages" as Endpoint,
        target: t,
        request: request as Tree,
      })),
    ),
  },
  {
    weight: 1,
    arbitrary: target.chain((t) =>
      anthropicRequest(t, { countTokens: true }).map((request) => ({
        endpoint: "/v1/messages/count_tokens" as Endpoint,
        target: t,
        request: request as Tree,
      })),
    ),
  },
  {
    weight: 2,
    arbitrary: target.chain((t) =>
      openaiRequest(t).map((request) => ({
        endpoint: "/v1/chat/completions" as Endpoint,
        target: t,
        request: request as Tree,
      })),
    ),
  },
);

const framing: fc.Arbitrary<Framing> = fc.oneof(
  { weight: 800, arbitrary: fc.constant({ kind: "intact" as const }) },
  { weight: 80, arbitrary: fc.record({ kind: fc.constant("truncated" as const), at: fc.nat() }) },
  {
    weight: 30,
    arbitrary: fc.record({
      kind: fc.constant("invalid-utf8" as const),
      at: fc.nat(),
      bytes: fc.constantFrom<number[]>([0x80], [0xc3], [0xed, 0xa0, 0x80], [0xff]),
    }),
  },
  { weight: 20, arbitrary: fc.constant({ kind: "empty" as const }) },
  { weight: 10, arbitrary: fc.constant({ kind: "bom" as const }) },
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant("trailing" as const),
      text: fc.constantFrom("x", "}", ",{}", "\u0000"),
    }),
  },
  // About one case in a thousand: each costs 33 MiB on the wire.
  { weight: 1, arbitrary: fc.constant({ kind: "oversize" as const }) },
);

const contentType: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 17, arbitrary: fc.constant("application/json") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      null,
      "",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=utf-16",
      "application/xml",
    ),
  },
);

const ending = fc.constantFrom<"end" | "destroy">("end", "destroy");
const delivery: fc.Arbitrary<Delivery> = fc.oneof(
  { weight: 97, arbitrary: fc.constant({ kind: "whole" as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("cut-off" as const),
      keep: fc.integer({ min: 0, max: 999 }),
      ending,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("chunked-abort" as const),
      chunks: fc.integer({ min: 0, max: 4 }),
      ending,
    }),
  },
);

/** One fuzz case. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc
  .record({ aimed: aimedRequest, mutations, framing, contentType, delivery })
  .map(({ aimed, ...rest }) => new FuzzCase({ ...aimed, ...rest }));
