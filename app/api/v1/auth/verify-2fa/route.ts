import { Token, VerifyRequest } from "@/app/api/v1/schemas";
import { secondFactorErrorText } from "@/app/messages";
import { apiText } from "@/app/messages/api";
import { apiError, apiJson, readJsonBody, refuseNonJson, safely } from "@/lib/api/respond";
import { normalizeRecoveryCode } from "@/lib/factors/recovery-codes";
import { requestInfoFrom } from "@/lib/platform/request-info";
import { verifySecondFactor } from "@/lib/sign-in/second-step";

// docs/security-model.md, "The API": the second step. The code is the app's, the one sent
// by SMS or email, or a recovery code (told apart by its shape); failures count towards the
// same per-user lockout as the web's. A replayed app code is refused as
// `code_already_used`, and counted.
export function POST(request: Request) {
  return safely(async () => {
    const notJson = refuseNonJson(request);
    if (notJson) return notJson;
    const parsed = VerifyRequest.safeParse(await readJsonBody(request));
    if (!parsed.success) return apiError(400, "invalid_request", apiText.verifyShape);
    const { challenge, code } = parsed.data;
    const info = requestInfoFrom(request.headers);
    const kind = normalizeRecoveryCode(code) ? "recovery" : "code";
    const result = await verifySecondFactor({
      challengeToken: challenge,
      code,
      kind,
      request: info,
      client: { kind: "api" },
    });
    if (!result.ok) {
      if (result.error === "challenge_expired") return apiError(401, "challenge_expired", apiText.challengeExpired);
      if (result.error === "too_many_attempts")
        return apiError(401, "too_many_attempts", secondFactorErrorText(result));
      if (result.error === "locked") {
        const seconds = Math.max(1, Math.ceil((result.lockedUntil.getTime() - Date.now()) / 1000));
        return apiError(
          429,
          "locked",
          secondFactorErrorText(result),
          { "retry-after": String(seconds) },
          { locked_until: result.lockedUntil.toISOString() },
        );
      }
      return apiError(
        401,
        result.error === "replayed" ? "code_already_used" : "invalid_code",
        secondFactorErrorText(result),
        {},
        {
          attempts_left: result.attemptsLeft,
          sign_in_tries_left: result.signInTriesLeft,
        },
      );
    }
    // No session: the user was disabled meanwhile, and the burnt challenge is over.
    if (!result.session) return apiError(401, "challenge_expired", apiText.challengeExpired);
    return apiJson(Token.parse({ status: "ok", token: result.session.sessionToken }));
  });
}
