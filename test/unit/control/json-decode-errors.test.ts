// Locating the field a JSON request fails to decode at, by the request's proto field names,
// including durations protobuf-es would decode wrongly or with an anonymous error.
import { describe, expect, it } from "vitest";
import { findJsonDecodeProblem } from "../../../src/control/json-decode-errors.js";
import { CreateHealthCheckJobRequestSchema } from "../../../src/gen/parley/admin/v1/health_check_pb.js";
import {
  CreateProviderRequestSchema,
  UpdateProviderRequestSchema,
} from "../../../src/gen/parley/admin/v1/provider_pb.js";

const provider = (fields: Record<string, unknown>) => ({
  provider: { id: "p", kind: "PROVIDER_KIND_OPENAI", baseUrl: "https://p.example/v1", ...fields },
});

describe("findJsonDecodeProblem", () => {
  it("finds nothing in a request that decodes", () => {
    const json = provider({
      healthCheckInterval: "30s",
      timeouts: { connect: "1.5s", total: "-0.000000001s" },
      headers: { "x-title": "t" },
      enabled: null,
    });
    expect(findJsonDecodeProblem(CreateProviderRequestSchema, json)).toBeUndefined();
  });

  it.each([["0.0000000001s"], ["30sec"], ["30"], [" 30s"], ["30.s"], ["+30s"], ["315576000001s"]])(
    "a duration written %j",
    (interval) => {
      const problem = findJsonDecodeProblem(
        CreateProviderRequestSchema,
        provider({ healthCheckInterval: interval }),
      );
      expect(problem?.field).toBe("provider.health_check_interval");
      expect(problem?.reason).toContain("is not a duration");
    },
  );

  it("names nested fields with proto names, whichever spelling the request used", () => {
    expect(
      findJsonDecodeProblem(
        CreateProviderRequestSchema,
        provider({ circuit_breaker: { open_duration: "x" } }),
      )?.field,
    ).toBe("provider.circuit_breaker.open_duration");
    expect(
      findJsonDecodeProblem(CreateProviderRequestSchema, provider({ retryPolicy: { maxRetries: "many" } }))
        ?.field,
    ).toBe("provider.retry_policy.max_retries");
  });

  it("names scalar, enum, map and well-known-type fields", () => {
    const at = (fields: Record<string, unknown>) =>
      findJsonDecodeProblem(CreateProviderRequestSchema, provider(fields))?.field;
    expect(at({ enabled: "yes" })).toBe("provider.enabled");
    expect(at({ kind: "PROVIDER_KIND_GOPHER" })).toBe("provider.kind");
    expect(at({ headers: { "x-a": 5 } })).toBe("provider.headers");
    expect(at({ createTime: "yesterday" })).toBe("provider.create_time");
    const mask = findJsonDecodeProblem(UpdateProviderRequestSchema, {
      provider: { id: "p" },
      updateMask: "base_url",
    });
    expect(mask?.field).toBe("update_mask");
  });

  it("reports an unknown key at the message that holds it", () => {
    const problem = findJsonDecodeProblem(CreateProviderRequestSchema, provider({ baseURL: "x" }));
    expect(problem?.field).toBe("provider");
    expect(problem?.reason).toContain("baseURL");
  });

  it("covers other services' durations", () => {
    const problem = findJsonDecodeProblem(CreateHealthCheckJobRequestSchema, {
      job: { providerId: "p", timeout: "1.0000000000s" },
    });
    expect(problem?.field).toBe("job.timeout");
  });
});
