"use server";

import { after } from "next/server";
import { z } from "zod";
import { tryAgainText } from "@/app/messages";
import { browserLinkSentText, browserLinksLimitText, signInText } from "@/app/messages/sign-in";
import { getRequestInfo } from "@/dal";
import type { FormState } from "@/lib/form-state";
import { requireForm } from "@/lib/platform/action-arguments";
import { logger } from "@/lib/platform/logger";
import { allowBrowserTrustLinkRequest, sendBrowserTrustLink } from "@/lib/sign-in/known-device";
import { normalizeEmail } from "@/lib/sign-in/password-step";

const schema = z.object({
  email: z
    .string()
    .trim()
    .min(1)
    .max(254)
    .regex(/^[^\s@]+@[^\s@]+$/),
});

// "Email me a link": the same answer for every address, at once; the link is made and sent
// after the response, so neither words nor timing say whether the address has an account.
export async function requestBrowserLinkAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const parsed = schema.safeParse({ email: formData.get("email") });
  if (!parsed.success) return { ok: false, error: signInText.browserLinkEmailMissing };
  const email = normalizeEmail(parsed.data.email);
  const request = await getRequestInfo();
  const allowed = await allowBrowserTrustLinkRequest({ email, request });
  // Whoever used up the cap has sent links to the address's inbox, and each works for an
  // hour: the owner can use the newest.
  if (!allowed.ok) return { ok: false, error: browserLinksLimitText(tryAgainText(allowed.retryAfterSeconds)) };
  after(() =>
    sendBrowserTrustLink({ email, request }).catch((error: Error) =>
      logger.error({ event: "delivery_failed", channel: "email", error: error.name }, "browser link not sent"),
    ),
  );
  return { ok: true, message: browserLinkSentText(email) };
}
