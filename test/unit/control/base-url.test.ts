// base_url checks: cloud metadata endpoints are refused however the host is spelt (WHATWG
// parsing normalises decimal, hex and octal IPv4 first), URLs without a host are refused
// on their raw text, and private, loopback and public hosts stay allowed.
import { ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { metadataEndpointReason } from "../../../src/control/metadata-endpoints.js";
import { checkHttpUrl } from "../../../src/control/validation.js";

function refusal(url: string): string | undefined {
  try {
    checkHttpUrl("provider.base_url", url);
    return undefined;
  } catch (error) {
    if (error instanceof ConnectError) return error.rawMessage;
    throw error;
  }
}

describe("cloud metadata endpoints are refused", () => {
  it.each([
    ["AWS, GCP, Azure IMDS", "http://169.254.169.254/latest/meta-data"],
    ["ECS task metadata", "http://169.254.170.2/v2"],
    ["any link-local IPv4", "https://169.254.1.1/v1"],
    ["decimal IPv4", "http://2852039166/"],
    ["hex IPv4", "http://0xa9.0xfe.0xa9.0xfe/"],
    ["octal IPv4", "http://0251.0376.0251.0376/"],
    ["shortened IPv4", "http://169.254.43518/"],
    ["IPv4 with a trailing dot", "http://169.254.169.254./"],
    ["AWS IMDS over IPv6", "http://[fd00:ec2::254]/"],
    ["AWS IMDS over IPv6, spelt out", "http://[fd00:0ec2:0:0:0:0:0:0254]/"],
    ["link-local IPv6", "http://[fe80::1]/"],
    ["link-local IPv6, upper end of fe80::/10", "http://[febf::1]/"],
    ["IPv4-mapped IPv6", "http://[::ffff:169.254.169.254]/"],
    ["NAT64 IPv6", "http://[64:ff9b::a9fe:a9fe]/"],
    ["Google's metadata name", "http://metadata.google.internal/computeMetadata/v1"],
    ["Google's metadata name, upper case with a trailing dot", "http://METADATA.Google.Internal./"],
    ["Google's short metadata name", "http://metadata.goog/"],
    ["Google's search-domain name", "http://metadata/"],
    ["AWS's instance-data name", "http://instance-data.ec2.internal/"],
    ["Alibaba Cloud", "http://100.100.100.200/latest/meta-data"],
    ["with a port", "http://169.254.169.254:8080/"],
  ])("%s: %s", (_what, url) => {
    const message = refusal(url);
    expect(message).toMatch(/^provider\.base_url: host \S+ is .*(metadata|link-local)/);
    expect(message).toMatch(/instance credentials/);
  });
});

describe("URLs without a host are refused on their raw text", () => {
  it.each([
    "http:///x",
    "https:///api.example.com/v1",
    "http:/api.example.com",
    "http:\\\\169.254.169.254\\",
  ])("%s", (url) => {
    expect(refusal(url)).toMatch(/^provider\.base_url: .*(has no host|whitespace)/);
  });

  it("whitespace and control characters, which URL parsing would drop", () => {
    expect(refusal(" http://api.example.com")).toMatch(/whitespace or control characters/);
    expect(refusal("http://169.254.\n169.254/")).toMatch(/whitespace or control characters/);
    expect(refusal("http://api.example.com/v1\t")).toMatch(/whitespace or control characters/);
  });
});

describe("private, loopback and public hosts stay allowed", () => {
  it.each([
    "http://10.0.0.5:8000/v1",
    "http://172.16.0.1/v1",
    "http://172.31.255.254/v1",
    "http://192.168.1.10:11434/v1",
    "http://100.64.0.1/v1",
    "http://169.253.255.255/v1",
    "http://169.255.0.1/v1",
    "http://[fc00::1]/v1",
    "http://[fd12:3456::1]/v1",
    "http://[fd00:ec2::253]/v1",
    "http://[fec0::1]/v1",
    "http://127.0.0.1:8000/v1",
    "http://[::1]:8000/v1",
    "http://localhost:8000/v1",
    "https://api.openai.com/v1",
    "https://api.anthropic.com",
    "https://metadata.example.com/v1",
    "https://openrouter.ai/api/v1",
  ])("%s", (url) => {
    expect(refusal(url)).toBeUndefined();
  });
});

describe("metadataEndpointReason", () => {
  it("says nothing about hosts it does not know", () => {
    expect(metadataEndpointReason("vllm.internal")).toBeUndefined();
    expect(metadataEndpointReason("[::]")).toBeUndefined();
    expect(metadataEndpointReason("0.0.0.0")).toBeUndefined();
  });
});
