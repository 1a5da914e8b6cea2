// Property: the client's address comes only from the socket and the proxies the operator trusts, never from a header the client wrote.
import { afterEach, describe, expect, it } from "vitest";
import {
  CLIENT_ADDRESS_HEADER,
  clientAddress,
  decodeClientAddressHeader,
  encodeClientAddressHeader,
  limitGroup,
  normalizeAddress,
  parseTrustedProxies,
  peerIsTrusted,
} from "@/lib/platform/client-address";
import { requestInfoFrom } from "@/lib/platform/request-info";

// Address spoofing (issue 8, docs/security-model.md, "Client address"): a client that
// writes its own X-Forwarded-For (or the header our server hands the address on in) to
// escape the per-IP rate limit and to plant a false address in sessions, audit events and
// lockout emails. Only the socket, and proxies the operator named, may say who the client
// is.

const FORGED = "203.0.113.66";

function from(peer: string | undefined, forwardedFor: string | string[] | undefined, setting?: string) {
  return clientAddress({ peer, forwardedFor, trusted: parseTrustedProxies(setting) });
}

describe("with no trusted proxy (the default)", () => {
  it("is the socket's peer, whatever X-Forwarded-For says", () => {
    for (const setting of [undefined, "", "  ", "none", "0"]) {
      expect(parseTrustedProxies(setting)).toEqual({ kind: "none" });
      expect(from("198.51.100.7", FORGED, setting)).toBe("198.51.100.7");
      expect(from("198.51.100.7", [FORGED, "10.0.0.1"], setting)).toBe("198.51.100.7");
      expect(from("::ffff:198.51.100.7", `${FORGED}, 198.51.100.7`, setting)).toBe("198.51.100.7");
    }
  });

  it("never trusts the peer to forward, so forwarding headers must be dropped", () => {
    expect(peerIsTrusted("127.0.0.1", parseTrustedProxies(undefined))).toBe(false);
  });

  it("is 'unknown' without a usable peer address, never a header's value", () => {
    expect(from(undefined, FORGED)).toBe("unknown");
    expect(from("", FORGED)).toBe("unknown");
  });
});

describe("a number of proxy hops", () => {
  it("takes the entry the outermost proxy appended, skipping what the client wrote", () => {
    expect(parseTrustedProxies("1")).toEqual({ kind: "hops", hops: 1 });
    // Load balancer at 10.0.0.2 appended the address it saw; the client wrote FORGED.
    expect(from("10.0.0.2", `${FORGED}, 198.51.100.7`, "1")).toBe("198.51.100.7");
    expect(from("10.0.0.2", [FORGED, "198.51.100.7"], "1")).toBe("198.51.100.7");
    // Two proxies: a CDN edge appended the client, then the load balancer the edge.
    expect(from("10.0.0.2", `${FORGED}, 198.51.100.7, 192.0.2.10`, "2")).toBe("198.51.100.7");
  });

  it("takes the farthest entry there is when fewer hops came than configured", () => {
    expect(from("10.0.0.2", "198.51.100.7", "3")).toBe("198.51.100.7");
    expect(from("10.0.0.2", undefined, "1")).toBe("10.0.0.2");
  });

  it("is 'unknown' when the entry it must take is not an address", () => {
    expect(from("10.0.0.2", "not-an-ip", "1")).toBe("unknown");
    expect(from("10.0.0.2", `${FORGED}, <script>`, "1")).toBe("unknown");
  });

  it("trusts any peer to forward (so the app must not be reachable directly)", () => {
    expect(peerIsTrusted("198.51.100.7", parseTrustedProxies("1"))).toBe(true);
    expect(peerIsTrusted(undefined, parseTrustedProxies("1"))).toBe(false);
  });

  it("caps an absurd hop count", () => {
    expect(parseTrustedProxies("1000")).toEqual({ kind: "hops", hops: 32 });
  });
});

describe("a list of trusted addresses and ranges", () => {
  const setting = "127.0.0.1, 10.0.0.0/8, fd00::/8";

  it("ignores X-Forwarded-For from a peer it does not trust", () => {
    expect(from("198.51.100.7", FORGED, setting)).toBe("198.51.100.7");
    expect(peerIsTrusted("198.51.100.7", parseTrustedProxies(setting))).toBe(false);
  });

  it("walks from the right to the first hop it does not trust", () => {
    expect(from("127.0.0.1", `${FORGED}, 198.51.100.7`, setting)).toBe("198.51.100.7");
    expect(from("10.1.2.3", `${FORGED}, 198.51.100.7, 10.9.9.9`, setting)).toBe("198.51.100.7");
    expect(from("fd00::1", `${FORGED}, 2001:db8::7, fd12::5`, setting)).toBe("2001:db8::7");
  });

  it("recognises an IPv4-mapped peer as the IPv4 address it is", () => {
    expect(peerIsTrusted("::ffff:127.0.0.1", parseTrustedProxies(setting))).toBe(true);
    expect(from("::ffff:10.0.0.2", `${FORGED}, 198.51.100.7`, setting)).toBe("198.51.100.7");
    expect(from("::ffff:198.51.100.7", FORGED, setting)).toBe("198.51.100.7");
  });

  it("reads entries that carry a port or brackets", () => {
    expect(from("10.0.0.2", `${FORGED}, 198.51.100.7:51234`, setting)).toBe("198.51.100.7");
    expect(from("10.0.0.2", `${FORGED}, [2001:db8::7]:443`, setting)).toBe("2001:db8::7");
    expect(from("10.0.0.2", "[fd00::9]:80, 10.0.0.3:8080", setting)).toBe("fd00::9");
  });

  it("stops at a garbled entry: whoever wrote it is the client, and it has no address", () => {
    expect(from("10.0.0.2", `198.51.100.7, garbage`, setting)).toBe("unknown");
    expect(from("10.0.0.2", `198.51.100.7, 999.1.1.1`, setting)).toBe("unknown");
    // Garbage to the left of the first untrusted hop is never reached.
    expect(from("10.0.0.2", `garbage, 198.51.100.7`, setting)).toBe("198.51.100.7");
  });

  it("takes the farthest hop when every hop is trusted", () => {
    expect(from("127.0.0.1", "10.0.0.5, 10.0.0.6", setting)).toBe("10.0.0.5");
    expect(from("127.0.0.1", undefined, setting)).toBe("127.0.0.1");
    expect(from("127.0.0.1", "", setting)).toBe("127.0.0.1");
  });

  it("accepts IPv4-mapped and mixed-case entries in the setting", () => {
    expect(peerIsTrusted("10.0.0.1", parseTrustedProxies("::ffff:10.0.0.1"))).toBe(true);
    expect(peerIsTrusted("2001:db8::1", parseTrustedProxies("2001:DB8::/32"))).toBe(true);
    expect(peerIsTrusted("2001:db9::1", parseTrustedProxies("2001:DB8::/32"))).toBe(false);
  });
});

describe("TRUSTED_PROXIES values that cannot be right", () => {
  it.each([
    ["proxy.internal", /"proxy\.internal" is not an address, a CIDR range or a number of hops/],
    ["1,10.0.0.1", /"1" is not an address/],
    ["-1", /"-1" is not an address/],
    ["10.0.0.0/33", /"10\.0\.0\.0\/33" has a bad prefix length/],
    ["fd00::/129", /"fd00::\/129" has a bad prefix length/],
    ["10.0.0.0/", /"10\.0\.0\.0\/" has a bad prefix length/],
    ["10.0.0.0/x", /"10\.0\.0\.0\/x" has a bad prefix length/],
    ["10.0.0.0/8/16", /"10\.0\.0\.0\/8\/16" has a bad prefix length/],
    ["10.0.0.0/8, 300.1.1.1", /"300\.1\.1\.1" is not an address/],
  ])("refuses %j with a message naming the setting and the entry", (value, message) => {
    expect(() => parseTrustedProxies(value)).toThrow(/^TRUSTED_PROXIES: /);
    expect(() => parseTrustedProxies(value)).toThrow(message);
  });
});

describe("normalizeAddress", () => {
  it.each([
    ["198.51.100.7", "198.51.100.7"],
    [" 198.51.100.7 ", "198.51.100.7"],
    ["198.51.100.7:8080", "198.51.100.7"],
    ["::ffff:198.51.100.7", "198.51.100.7"],
    ["::FFFF:198.51.100.7", "198.51.100.7"],
    ["[::ffff:198.51.100.7]:443", "198.51.100.7"],
    ["2001:DB8::7", "2001:db8::7"],
    ["[2001:db8::7]", "2001:db8::7"],
    ["[2001:db8::7]:443", "2001:db8::7"],
    ["::1", "::1"],
    ["2001:0DB8:0:0::7", "2001:db8::7"],
    ["2001:db8::0", "2001:db8::"],
    ["::ffff:7f00:1", "127.0.0.1"],
    ["fe80::1%eth0", "fe80::1%eth0"],
  ])("reads %j as %j", (raw, address) => {
    expect(normalizeAddress(raw)).toBe(address);
  });

  // Each spelling of an address would otherwise be a fresh per-IP counter.
  it("spells an address one way", () => {
    const spellings = ["2001:db8::7", "2001:DB8::7", "2001:db8:0:0:0:0:0:7", "[2001:0db8::0007]:443"];
    expect(new Set(spellings.map(normalizeAddress))).toEqual(new Set(["2001:db8::7"]));
  });

  it.each([
    "",
    "unknown",
    "localhost",
    "1.2.3",
    "256.0.0.1",
    "198.51.100.7:",
    "[2001:db8::7",
    "1.2.3.4, 5.6.7.8",
    "::ffff:999.1.1.1",
  ])("refuses %j", (raw) => {
    expect(normalizeAddress(raw)).toBeNull();
  });
});

describe("the address header between our server and the app", () => {
  const proof = "per-process-proof";

  it("is believed only with this process's proof", () => {
    const header = encodeClientAddressHeader("198.51.100.7", proof);
    expect(decodeClientAddressHeader(header, proof)).toBe("198.51.100.7");
    expect(decodeClientAddressHeader(header, "another-process")).toBeNull();
    expect(decodeClientAddressHeader(`guess ${FORGED}`, proof)).toBeNull();
    expect(decodeClientAddressHeader(`${proof.slice(0, -1)} ${FORGED}`, proof)).toBeNull();
    expect(decodeClientAddressHeader(`${proof}x ${FORGED}`, proof)).toBeNull();
    expect(decodeClientAddressHeader(proof, proof)).toBeNull();
    expect(decodeClientAddressHeader(null, proof)).toBeNull();
  });

  it("is never believed when no proof was made (the app was started without our server)", () => {
    expect(decodeClientAddressHeader(` ${FORGED}`, undefined)).toBeNull();
    expect(decodeClientAddressHeader(` ${FORGED}`, "")).toBeNull();
  });
});

describe("requestInfoFrom", () => {
  const saved = process.env.CLIENT_ADDRESS_PROOF;
  afterEach(() => {
    if (saved === undefined) delete process.env.CLIENT_ADDRESS_PROOF;
    else process.env.CLIENT_ADDRESS_PROOF = saved;
  });

  function headers(entries: Record<string, string>) {
    return new Headers({ "user-agent": "Mozilla/5.0 test", ...entries });
  }

  it("gives the address our server handed on with the proof", () => {
    process.env.CLIENT_ADDRESS_PROOF = "proof-1";
    const info = requestInfoFrom(
      headers({ [CLIENT_ADDRESS_HEADER]: encodeClientAddressHeader("198.51.100.7", "proof-1") }),
    );
    expect(info).toEqual({ ip: "198.51.100.7", userAgent: "Mozilla/5.0 test" });
  });

  it("gives 'unknown' for a header without the right proof, and never reads X-Forwarded-For", () => {
    process.env.CLIENT_ADDRESS_PROOF = "proof-1";
    const forged = { "x-forwarded-for": FORGED, "x-real-ip": FORGED, forwarded: `for=${FORGED}` };
    expect(requestInfoFrom(headers({ ...forged, [CLIENT_ADDRESS_HEADER]: `proof-2 ${FORGED}` })).ip).toBe("unknown");
    expect(requestInfoFrom(headers(forged)).ip).toBe("unknown");
  });

  it("gives 'unknown' when this process made no proof (next start by hand)", () => {
    delete process.env.CLIENT_ADDRESS_PROOF;
    expect(requestInfoFrom(headers({ [CLIENT_ADDRESS_HEADER]: ` ${FORGED}`, "x-forwarded-for": FORGED })).ip).toBe(
      "unknown",
    );
  });

  it("bounds what it stores", () => {
    process.env.CLIENT_ADDRESS_PROOF = "proof-1";
    const info = requestInfoFrom(
      new Headers({ "user-agent": "x".repeat(2_000), [CLIENT_ADDRESS_HEADER]: `proof-1 ${"a".repeat(200)}` }),
    );
    expect(info.ip).toHaveLength(64);
    expect(info.userAgent).toHaveLength(512);
    expect(requestInfoFrom(new Headers()).userAgent).toBe("");
  });
});

describe("what an IP limit counts", () => {
  it("counts an IPv4 address alone and an IPv6 address by its /64", () => {
    expect(limitGroup("203.0.113.7")).toBe("203.0.113.7");
    expect(limitGroup("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(limitGroup("2001:db8:1:2:ffff:ffff:ffff:fffe")).toBe("2001:db8:1:2::/64");
    expect(limitGroup("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(limitGroup("::1")).toBe("0:0:0:0::/64");
    expect(limitGroup("2001:db8:1:3::1")).not.toBe(limitGroup("2001:db8:1:2::1"));
  });

  it("makes addresses of one IPv6 /64 share the password step's per-IP limit", async () => {
    const { passwordStep } = await import("@/lib/sign-in/password-step");
    const { PASSWORD_FREE_ATTEMPTS_PER_IP } = await import("@/lib/config");
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`;
    const attempt = (i: number) =>
      passwordStep({
        email: `nobody-${prefix}-${i}@example.test`,
        password: "wrong",
        request: { ip: `${prefix}::${(i + 1).toString(16)}`, userAgent: "t" },
      });
    for (let i = 0; i < PASSWORD_FREE_ATTEMPTS_PER_IP + 1; i++) await attempt(i);
    expect(await attempt(PASSWORD_FREE_ATTEMPTS_PER_IP + 1)).toMatchObject({ ok: false, error: "rate_limited" });
  });
});
