// Property: only someone at this machine, in development or test mode, with a local Host, may read the outbox; the server binds to loopback there.
import { describe, expect, it } from "vitest";
import { outboxOpenTo } from "@/lib/messages/outbox";
import { clientAddress, isLoopbackAddress, parseTrustedProxies } from "@/lib/platform/client-address";
import { parseEnv as parseProcessEnv } from "@/lib/platform/env";

// Attack: someone runs the quick start on a server and a stranger opens /dev/outbox,
// which holds every live SMS and email code, reset and invitation link. The outbox is
// for the person at the machine only: development or test mode, a loopback client (as
// scripts/serve.ts decides it, trusted proxies included), and a Host naming this
// machine. The development server binds to loopback unless told otherwise.

// The variables a test sets; the rest of the process's environment stays out.
const parseEnv = (vars: Record<string, string>) => parseProcessEnv(vars as NodeJS.ProcessEnv);

const host = "localhost:3000";

function open(appEnv: "development" | "test" | "production", address: string, hostHeader: string | null = host) {
  return outboxOpenTo({ appEnv, clientAddress: address, host: hostHeader });
}

describe("who may read the development outbox", () => {
  it("is someone on this machine, in development or test mode", () => {
    for (const address of ["127.0.0.1", "127.42.0.9", "::1", "::ffff:127.0.0.1"]) {
      expect(isLoopbackAddress(address), address).toBe(true);
      expect(open("development", address), address).toBe(true);
      expect(open("test", address), address).toBe(true);
    }
  });

  it("is nobody in production, not even this machine", () => {
    expect(open("production", "127.0.0.1")).toBe(false);
    expect(open("production", "::1")).toBe(false);
  });

  it("is nobody from another machine, or whose address is unknown", () => {
    for (const address of ["192.0.2.2", "10.0.0.1", "203.0.113.7", "2001:db8::1", "::", "0.0.0.0", "unknown", ""]) {
      expect(isLoopbackAddress(address), address).toBe(false);
      expect(open("development", address), address).toBe(false);
    }
  });

  it("follows the trusted-proxy rule: a public client forwarded by a local proxy is not local", () => {
    const behindProxy = clientAddress({
      peer: "127.0.0.1",
      forwardedFor: "203.0.113.7",
      trusted: parseTrustedProxies("127.0.0.1"),
    });
    expect(behindProxy).toBe("203.0.113.7");
    expect(open("development", behindProxy)).toBe(false);
    // Without a trusted proxy a client's own X-Forwarded-For counts for nothing either way.
    const forged = clientAddress({ peer: "192.0.2.2", forwardedFor: "127.0.0.1", trusted: parseTrustedProxies("") });
    expect(open("development", forged)).toBe(false);
  });

  it("needs a Host naming this machine (a DNS-rebinding page or a proxy passing its Host is refused)", () => {
    for (const name of ["localhost", "localhost:3000", "app.localhost:3000", "127.0.0.1:3000", "[::1]:3000"])
      expect(open("development", "127.0.0.1", name), name).toBe(true);
    for (const name of ["evil.example:3000", "sign.example.com", "localhost.evil.example", "192.0.2.2:3000", "", null])
      expect(open("development", "127.0.0.1", name), String(name)).toBe(false);
  });
});

describe("the address the server binds", () => {
  const base = { AUTH_SECRET: "x".repeat(32), ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString("base64")}` };

  it("is loopback in development and test unless HOST or HOSTNAME says otherwise", () => {
    expect(parseEnv({ ...base, APP_ENV: "development" }).HOST).toBe("127.0.0.1");
    expect(parseEnv({ ...base, APP_ENV: "test" }).HOST).toBe("127.0.0.1");
    expect(parseEnv({ ...base, APP_ENV: "development", HOSTNAME: "0.0.0.0" }).HOST).toBe("0.0.0.0");
    expect(parseEnv({ ...base, APP_ENV: "development", HOST: "::", HOSTNAME: "container-id" }).HOST).toBe("::");
  });

  it("is every interface in production, as before, unless set", () => {
    const production = { ...base, APP_ENV: "production", APP_URL: "https://sign.example.com" };
    expect(parseEnv(production).HOST).toBeUndefined();
    expect(parseEnv({ ...production, HOST: "10.0.0.5" }).HOST).toBe("10.0.0.5");
  });
});
