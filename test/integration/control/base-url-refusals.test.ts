// base_url through the real admin API: cloud metadata endpoints and host-less URLs are
// refused on create and on update with invalid_argument naming the field and the reason,
// nothing is stored, and private addresses (self-hosted vLLM) stay allowed.
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { type AdminClients, type AdminHarness, errorOf, startAdmin } from "./admin-harness.js";

let h: AdminHarness;
let c: AdminClients;
let n = 0;
beforeAll(async () => {
  h = await startAdmin();
  c = h.clients();
});
afterAll(() => h.close());

const create = (baseUrl: string) =>
  c.providers.createProvider({ provider: { id: `u-${++n}`, kind: ProviderKind.OPENAI, baseUrl } });

describe("base_url", () => {
  it.each([
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://2852039166/",
    "http://0xa9.0xfe.0xa9.0xfe/",
    "http://[fd00:ec2::254]/latest",
    "http://[fe80::a9fe:a9fe]/",
    "http://metadata.google.internal/computeMetadata/v1",
    "http://metadata.goog/",
    "http://100.100.100.200/latest/meta-data",
  ])("create refuses the metadata endpoint %s", async (baseUrl) => {
    const id = `u-${n + 1}`;
    const error = await errorOf(create(baseUrl));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toMatch(/^provider\.base_url: host .* instance credentials/);
    expect((await errorOf(c.providers.getProvider({ id }))).code).toBe(Code.NotFound);
  });

  it("create refuses a URL without a host, which URL parsing would read as host x", async () => {
    const error = await errorOf(create("http:///x"));
    expect(error).toEqual({
      code: Code.InvalidArgument,
      message: 'provider.base_url: "http:///x" has no host: write it as https://host/path',
    });
  });

  it("update refuses a metadata endpoint and keeps the stored URL", async () => {
    const { provider } = await create("http://10.1.2.3:8000/v1");
    const error = await errorOf(
      c.providers.updateProvider({
        provider: { id: provider!.id, baseUrl: "http://169.254.169.254/" },
        updateMask: { paths: ["base_url"] },
      }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toMatch(/^provider\.base_url: host 169\.254\.169\.254 is link-local/);
    expect((await c.providers.getProvider({ id: provider!.id })).provider?.baseUrl).toBe(
      "http://10.1.2.3:8000/v1",
    );
  });

  it.each([
    "http://10.0.0.5:8000/v1",
    "http://172.20.0.2:8000/v1",
    "http://192.168.1.10:11434/v1",
    "http://[fd12:3456::1]:8000/v1",
    "http://127.0.0.1:8000/v1",
    "https://api.openai.com/v1",
  ])("private, loopback and public hosts stay allowed: %s", async (baseUrl) => {
    const { provider } = await create(baseUrl);
    expect(provider?.baseUrl).toBe(baseUrl);
  });
});
