import { mustEnroll } from "@/lib/account/policy";
import { REQUEST_BODY_MAX_BYTES, UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/config";
import { ErrorCode } from "@/lib/errors";
import { isAdminRole } from "@/lib/people/roles";
import { logger } from "@/lib/platform/logger";
import { isOverloadError } from "@/lib/platform/overload";
import { type ApiPrincipal, authenticateBearer, type Scope } from "./access-tokens";

// The JSON API's shape (README "API"): errors are {"error":{"code","message"}} with the right
// status, and nothing about the server's insides ever reaches the client.

export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

export function apiError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  details: Record<string, string | number | undefined> = {},
) {
  // A detail left undefined is left out of the JSON.
  return apiJson({ error: { code, message, ...details } }, status, headers);
}

// JSON bodies only, refused with 415 otherwise. A cross-site HTML form can post
// text/plain or form data without a CORS preflight; it cannot send application/json.
export function refuseNonJson(request: Request): Response | null {
  const type = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type === "application/json") return null;
  return apiError(415, "unsupported_media_type", "Send the body as JSON, with Content-Type: application/json.");
}

// The request body as JSON, or null when it is missing, too large or not JSON. The limit is
// the one scripts/serve.ts answers 413 past; it is checked here again for `next start`.
export async function readJsonBody(request: Request): Promise<unknown> {
  if (Number(request.headers.get("content-length") ?? 0) > REQUEST_BODY_MAX_BYTES) return null;
  const text = await request.text().catch(() => "");
  if (!text || Buffer.byteLength(text) > REQUEST_BODY_MAX_BYTES) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// Any failure becomes a plain 500, logged by name only; a database too busy to serve in
// time (lib/platform/overload.ts), a 503 to try again later.
export async function safely(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (isOverloadError(error)) {
      logger.error({ event: "overloaded" }, "api: the database could not serve a request in time");
      return apiError(
        503,
        "service_unavailable",
        `The service is temporarily unavailable. Try again in ${UNAVAILABLE_RETRY_AFTER_SECONDS} seconds.`,
        { "retry-after": String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
      );
    }
    logger.error({ event: "api_error", error: error instanceof Error ? error.name : "error" }, "api: request failed");
    return apiError(500, "internal", "Something went wrong. Nothing was changed.");
  }
}

// Every authenticated endpoint: a valid bearer token, 2FA enrolment done when the
// account requires it (tokens stop working too: docs/security-model.md, "Account-wide
// requirements"), and the scope asked for.
export function withPrincipal(request: Request, scope: Scope, handler: (principal: ApiPrincipal) => Promise<Response>) {
  return safely(async () => {
    const principal = await authenticateBearer(request.headers.get("authorization"));
    if (!principal)
      return apiError(401, "unauthorized", "Send a valid token as Authorization: Bearer <token>.", {
        "www-authenticate": 'Bearer realm="StrongSign"',
      });
    if (mustEnroll({ user: principal.user, account: principal.user.account })) {
      return apiError(
        403,
        "two_factor_enrollment_required",
        "Your organisation requires two-factor authentication. Set it up in My Profile first.",
      );
    }
    // A member is told what they are (not an admin), not what their token lacks: no token
    // of theirs could carry the admin scope.
    if (scope === "admin" && !isAdminRole(principal.user.role))
      return apiError(403, ErrorCode.forbidden, "This endpoint is for administrators of the account.");
    if (!principal.scopes.includes(scope))
      return apiError(403, "insufficient_scope", `This token lacks the "${scope}" scope.`);
    return handler(principal);
  });
}
