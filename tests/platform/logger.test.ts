// Property: log lines are one JSON object each, never carry a code, token, link, password or cookie, and name routes without queries or tokens.
import { describe, expect, it } from "vitest";
import { createLogger, requestContext } from "@/lib/platform/logger";
import { metricsTokenMatches } from "@/lib/platform/metrics";
import { loggedRoute, routeGroup } from "@/lib/platform/request-log";

// README "Logs": the logger's own redaction keeps secrets out of a line whatever object it
// is handed, and a request's line names its route without a query or a link's token.

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", format: "json" }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

describe("the logger", () => {
  it("redacts codes, tokens, links, passwords, cookies and authorization headers", () => {
    const { logger, lines } = capture();
    const secrets = {
      password: "pw-violet-tractor",
      code: "493817",
      token: "tok_reset_4f9a",
      sessionToken: "sess_77ab",
      challengeToken: "chal_0c1d",
      secret: "JBSWY3DPEHPK3PXP",
      link: "https://app.test/reset-password/tok_link_9e",
      url: "https://app.test/invite/tok_invite_2b",
      cookie: "authjs.session-token=cookie_5d",
      authorization: "Bearer pat_live_31",
    };
    logger.info(secrets, "top level");
    logger.info({ user: secrets }, "one level down");
    logger.info({ req: { headers: { cookie: secrets.cookie, authorization: secrets.authorization } } }, "headers");
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      for (const value of Object.values(secrets)) expect(line).not.toContain(value);
      expect(line).toContain("[redacted]");
    }
    expect(JSON.parse(lines[0])).toMatchObject({ level: "info", msg: "top level", password: "[redacted]" });
    expect(JSON.parse(lines[2]).req.headers).toEqual({ cookie: "[redacted]", authorization: "[redacted]" });
  });

  it("writes one JSON object a line, with the time, the level and the request being served", () => {
    const { logger, lines } = capture();
    logger.debug({ event: "outside" }, "no request");
    requestContext.run({ requestId: "req-1" }, () => logger.warn({ event: "inside" }, "during a request"));
    const [outside, inside] = lines.map((line) => JSON.parse(line));
    expect(lines.every((line) => line.endsWith("\n") && !line.trimEnd().includes("\n"))).toBe(true);
    expect(outside).toMatchObject({ level: "debug", event: "outside" });
    expect(outside.requestId).toBeUndefined();
    expect(inside).toMatchObject({ level: "warn", event: "inside", requestId: "req-1" });
    expect(new Date(inside.time).toISOString()).toBe(inside.time);
  });

  it("writes nothing below its level", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "warn", format: "json" }, { write: (line: string) => lines.push(line) });
    logger.info("quiet");
    logger.warn("heard");
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(["heard"]);
  });
});

describe("a request's route in the log", () => {
  it("drops the query and replaces a link's token", () => {
    expect(loggedRoute("/login?email=a%40b.test&callbackUrl=%2Fprofile")).toBe("/login");
    expect(loggedRoute("/reset-password/abcDEF123_-x?x=1")).toBe("/reset-password/:token");
    expect(loggedRoute("/invite/tok123")).toBe("/invite/:token");
    expect(loggedRoute("/confirm-email/tok123/")).toBe("/confirm-email/:token/");
    expect(loggedRoute("/login/trust/tok123")).toBe("/login/trust/:token");
    expect(loggedRoute("/Reset-Password/tok123")).toBe("/Reset-Password/:token");
    expect(loggedRoute("/account/users/cm1234")).toBe("/account/users/cm1234");
    expect(loggedRoute(undefined)).toBe("/");
  });

  it("falls in one of a handful of groups", () => {
    const groups = Object.fromEntries(
      ["/login", "/login/two-factor", "/reset-password/:token", "/setup", "/profile", "/profile/security-log"]
        .concat(["/account/users", "/api/v1/me", "/_next/static/chunks/a.js", "/favicon.svg", "/metrics", "/", "/x"])
        .map((route) => [route, routeGroup(route)]),
    );
    expect(groups).toEqual({
      "/login": "login",
      "/login/two-factor": "login",
      "/reset-password/:token": "login",
      "/setup": "login",
      "/profile": "profile",
      "/profile/security-log": "profile",
      "/account/users": "account",
      "/api/v1/me": "api",
      "/_next/static/chunks/a.js": "static",
      "/favicon.svg": "static",
      "/metrics": "ops",
      "/": "other",
      "/x": "other",
    });
  });
});

describe("the metrics token", () => {
  it("is accepted only as the whole bearer token", () => {
    const token = "metrics-token-0123456789";
    expect(metricsTokenMatches(`Bearer ${token}`, token)).toBe(true);
    expect(metricsTokenMatches(undefined, token)).toBe(false);
    expect(metricsTokenMatches(token, token)).toBe(false);
    expect(metricsTokenMatches(`Bearer ${token}x`, token)).toBe(false);
    expect(metricsTokenMatches(`Bearer ${token.slice(0, -1)}`, token)).toBe(false);
    expect(metricsTokenMatches(`Basic ${token}`, token)).toBe(false);
    expect(metricsTokenMatches("Bearer ", token)).toBe(false);
  });
});
