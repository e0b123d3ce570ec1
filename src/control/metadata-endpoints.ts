// Cloud metadata endpoints a provider's base_url must never point at: whoever can set a
// base_url would otherwise have Parley fetch the host's instance credentials for them.
// Hosts are judged as WHATWG URL parsing leaves them, which has already turned decimal,
// hex and octal IPv4 forms (`2852039166`, `0xa9.0xfe.0xa9.0xfe`) into dotted quads.
// Private ranges stay allowed: self-hosted models (vLLM, Ollama) live there.

/** Host names that resolve to a metadata service inside their cloud. */
const METADATA_NAMES = new Map([
  ["metadata.google.internal", "Google Cloud's metadata service"],
  ["metadata.goog", "Google Cloud's metadata service"],
  // The short form resolves through the instance's DNS search domain.
  ["metadata", "Google Cloud's metadata service"],
  ["instance-data.ec2.internal", "AWS's instance metadata service"],
  ["instance-data", "AWS's instance metadata service"],
]);

/** Metadata services outside the link-local ranges, by address. */
const METADATA_IPV4 = new Map([["100.100.100.200", "Alibaba Cloud's metadata service"]]);
const AWS_IPV6_METADATA = [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254];

/** The four octets of a dotted-quad IPv4 address, or undefined. */
function ipv4Octets(host: string): number[] | undefined {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

/** The eight 16-bit groups of an IPv6 address as WHATWG serialises it (`[fd00:ec2::254]`). */
function ipv6Groups(host: string): number[] | undefined {
  if (!host.startsWith("[") || !host.endsWith("]")) return undefined;
  const [head = "", tail, ...rest] = host.slice(1, -1).split("::");
  if (rest.length > 0) return undefined;
  const groups = (text: string) => (text === "" ? [] : text.split(":").map((g) => Number.parseInt(g, 16)));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const zeros = tail === undefined ? 0 : 8 - front.length - back.length;
  const all = [...front, ...new Array<number>(Math.max(zeros, 0)).fill(0), ...back];
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : undefined;
}

function ipv4Reason(octets: number[]): string | undefined {
  if (octets[0] === 169 && octets[1] === 254) {
    return "is link-local (169.254.0.0/16), where cloud metadata services hand out instance credentials";
  }
  const named = METADATA_IPV4.get(octets.join("."));
  return named === undefined ? undefined : `is ${named}, which hands out instance credentials`;
}

/** IPv4 addresses carried inside IPv6 ones: mapped (::ffff:0:0/96), compatible (::/96), NAT64 (64:ff9b::/96). */
function embeddedIpv4(groups: number[]): number[] | undefined {
  const prefix = groups.slice(0, 6);
  const zero = prefix.slice(0, 5).every((g) => g === 0);
  const mapped = zero && (prefix[5] === 0xffff || prefix[5] === 0);
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (!mapped && !nat64) return undefined;
  const [high = 0, low = 0] = groups.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff];
}

function ipv6Reason(groups: number[]): string | undefined {
  if (((groups[0] ?? 0) & 0xffc0) === 0xfe80) {
    return "is link-local (fe80::/10), where cloud metadata services hand out instance credentials";
  }
  if (groups.every((g, i) => g === AWS_IPV6_METADATA[i])) {
    return "is AWS's instance metadata service, which hands out instance credentials";
  }
  const v4 = embeddedIpv4(groups);
  return v4 === undefined ? undefined : ipv4Reason(v4);
}

/**
 * Why a URL host (as `new URL(...).hostname` gives it) is a metadata endpoint, or undefined
 * when it is not one.
 */
export function metadataEndpointReason(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  const named = METADATA_NAMES.get(host);
  if (named !== undefined) return `is ${named}, which hands out instance credentials`;
  const v4 = ipv4Octets(host);
  if (v4 !== undefined) return ipv4Reason(v4);
  const v6 = ipv6Groups(host);
  return v6 === undefined ? undefined : ipv6Reason(v6);
}
