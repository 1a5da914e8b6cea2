import { Challenge, SignInRequest, Token } from "@/app/api/v1/schemas";
import { codeNotSentText, retryText, signInErrorText } from "@/app/messages";
import { apiText } from "@/app/messages/api";
import { apiError, apiJson, readJsonBody, refuseNonJson, safely } from "@/lib/api/respond";
import { isDeliveredMethod, methodName } from "@/lib/factors/kinds";
import { sendFirstChallengeCode } from "@/lib/factors/sms-email/sign-in-codes";
import { requestInfoFrom } from "@/lib/platform/request-info";
import { completeSignIn, passwordStep } from "@/lib/sign-in/password-step";
import { readSecondStep } from "@/lib/sign-in/second-step";

// docs/security-model.md, "The API": the password step, with the web's rate limits. Without
// 2FA the answer is a token; with it, the challenge to pass to verify-2fa and the methods
// it accepts.
export function POST(request: Request) {
  return safely(async () => {
    const notJson = refuseNonJson(request);
    if (notJson) return notJson;
    const parsed = SignInRequest.safeParse(await readJsonBody(request));
    if (!parsed.success) return apiError(400, "invalid_request", apiText.signInShape);
    const info = requestInfoFrom(request.headers);
    const result = await passwordStep({ ...parsed.data, request: info, codesOnly: true });
    if (!result.ok) {
      if (result.error === "rate_limited")
        return apiError(429, "rate_limited", retryText(result.retryAfterSeconds), {
          "retry-after": String(result.retryAfterSeconds),
        });
      if (result.error === "passkey_only") return apiError(403, "passkey_only", signInErrorText.passkey_only);
      if (result.error === "account_disabled")
        return apiError(403, "account_disabled", signInErrorText.account_disabled);
      return apiError(401, "invalid_credentials", signInErrorText.invalid_credentials);
    }
    if (!result.pendingFactor) {
      const session = await completeSignIn({
        challengeToken: result.challengeToken,
        request: info,
        client: { kind: "api" },
      });
      if (!session) return apiError(401, "invalid_credentials", signInErrorText.invalid_credentials);
      return apiJson(Token.parse({ status: "ok", token: session.sessionToken }));
    }
    if (isDeliveredMethod(result.pendingFactor)) {
      const sent = await sendFirstChallengeCode({ challengeId: result.challengeId });
      if (!sent.ok) {
        return apiError(502, "delivery_failed", codeNotSentText.signInApi);
      }
    }
    // Where the code went, as the challenge recorded it; a lock is told before any attempt.
    const { lock, delivery, hasRecoveryCodes } = await readSecondStep({ challengeId: result.challengeId });
    const methods = [methodName(result.pendingFactor), ...(hasRecoveryCodes ? ["recovery"] : [])];
    return apiJson(
      Challenge.parse({
        status: "two_factor_required",
        challenge: result.challengeToken,
        methods,
        ...(delivery?.sent
          ? { code_sent_by: delivery.channel, ...(delivery.fallback ? { code_fallback: delivery.fallback } : {}) }
          : {}),
        ...(delivery && !delivery.sent && delivery.nextCodeAt
          ? { next_code_at: delivery.nextCodeAt.toISOString() }
          : {}),
        ...(lock.locked ? { locked_until: lock.until.toISOString() } : {}),
      }),
    );
  });
}
