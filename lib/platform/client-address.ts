import { BlockList, isIP } from "node:net";

// Who the client is, decided by the server that accepted the connection
// (docs/security-model.md, "Client address"): the socket's peer, unless that peer is a
// proxy we were told to trust, in which case we walk X-Forwarded-For from the right and
// take the first hop we do not trust. Whatever a client writes into a header by itself is
// never believed.

export type TrustedProxies =
  | { kind: "none" }
  | { kind: "hops"; hops: number }
  | { kind: "networks"; networks: BlockList };

// TRUSTED_PROXIES: unset or "none"; a number of hops ("1": one load balancer in front);
// or a comma-separated list of addresses and CIDR ranges ("10.0.0.0/8,::1").
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const text = (value ?? "").trim();
  if (!text || text === "none" || text === "0") return { kind: "none" };
  if (/^\d+$/.test(text)) return { kind: "hops", hops: Math.min(Number(text), 32) };
  const networks = new BlockList();
  for (const entry of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address, prefix, ...rest] = entry.split("/");
    const family = isIP(address);
    if (!family) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an address, a CIDR range or a number of hops`);
    const type = family === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) {
      networks.addAddress(address, type);
      continue;
    }
    const bits = Number(prefix);
    if (rest.length > 0 || !/^\d+$/.test(prefix) || bits > (family === 6 ? 128 : 32))
      throw new Error(`TRUSTED_PROXIES: "${entry}" has a bad prefix length`);
    networks.addSubnet(address, bits, type);
  }
  return { kind: "networks", networks };
}

// "::ffff:10.0.0.1" is how Node reports an IPv4 peer on a dual-stack socket; X-Forwarded-For
// entries may carry a port ("203.0.113.7:51234", "[2001:db8::1]:443"). One address has
// one spelling here, since it keys the per-IP rate limit: "2001:DB8:0::1" is "2001:db8::1".
export function normalizeAddress(raw: string): string | null {
  let address = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  const family = isIP(address);
  if (family !== 6) return family === 4 ? address : null;
  let canonical: string;
  try {
    // WHATWG URL writes IPv6 in RFC 5952 form, IPv4-mapped ones as "::ffff:a00:1".
    canonical = new URL(`http://[${address}]`).hostname.slice(1, -1);
  } catch {
    // A zone index ("fe80::1%eth0") is no part of a URL host; such a peer is local anyway.
    return address.toLowerCase();
  }
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

function trusts(networks: BlockList, address: string) {
  return networks.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

// Whether the connection came from a proxy whose forwarding headers we may read.
export function peerIsTrusted(peer: string | undefined, trusted: TrustedProxies): boolean {
  const address = normalizeAddress(peer ?? "");
  if (!address || trusted.kind === "none") return false;
  return trusted.kind === "hops" || trusts(trusted.networks, address);
}

export function clientAddress(options: {
  peer: string | undefined;
  forwardedFor: string | string[] | undefined;
  trusted: TrustedProxies;
}): string {
  const peer = normalizeAddress(options.peer ?? "") ?? "unknown";
  const { trusted } = options;
  if (trusted.kind === "none" || !peerIsTrusted(peer, trusted)) return peer;
  const header = Array.isArray(options.forwardedFor) ? options.forwardedFor.join(",") : (options.forwardedFor ?? "");
  // Nearest first: the peer, then each hop the proxies appended, right to left.
  const hops = [
    peer,
    ...header
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean)
      .reverse(),
  ];
  if (trusted.kind === "hops") {
    const hop = hops[Math.min(trusted.hops, hops.length - 1)];
    return normalizeAddress(hop) ?? "unknown";
  }
  for (const hop of hops) {
    const address = normalizeAddress(hop);
    // A garbled entry cannot be a proxy we trust: whoever wrote it is the client.
    if (!address) return "unknown";
    if (!trusts(trusted.networks, address)) return address;
  }
  return normalizeAddress(hops.at(-1)!) ?? "unknown";
}

// This machine itself: all of 127.0.0.0/8 (Linux answers on every address in it) and ::1.
// Addresses are compared as normalizeAddress spells them ("::ffff:127.0.0.1" is
// 127.0.0.1); "unknown" is not loopback.
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

export function isLoopbackAddress(address: string): boolean {
  const normalized = normalizeAddress(address);
  return !!normalized && LOOPBACK.check(normalized, isIP(normalized) === 6 ? "ipv6" : "ipv4");
}

// The custom server (scripts/serve.ts) hands the address to the app in this header,
// with a secret made per process, so a request that reaches Next.js any other way
// (`next start` run by hand) cannot name its own address.
export const CLIENT_ADDRESS_HEADER = "x-strongsign-client";

export function encodeClientAddressHeader(address: string, proof: string) {
  return `${proof} ${address}`;
}

export function decodeClientAddressHeader(value: string | null, proof: string | undefined): string | null {
  if (!value || !proof) return null;
  const space = value.indexOf(" ");
  if (space < 0 || value.slice(0, space) !== proof) return null;
  return value.slice(space + 1);
}

// What an IP limit counts: one IPv4 address, or one IPv6 /64, the block a single home
// or server is given, so that a client cannot step through its own block's 2^64
// addresses to get fresh limits.
export function limitGroup(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const hextets = address.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${hextets
    .slice(0, 4)
    .map((h) => h.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
