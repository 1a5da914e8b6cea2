"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { signInText } from "@/app/messages/sign-in";
import { getRequestInfo } from "@/dal";
import type { FormState } from "@/lib/form-state";
import { requireForm } from "@/lib/platform/action-arguments";
import { rememberDevice } from "@/lib/sign-in/device-cookie";
import { redeemBrowserTrustLink } from "@/lib/sign-in/known-device";

const schema = z.object({ token: z.string().min(1).max(128) });

// Opening the emailed link only shows a button: mail scanners that fetch links must not
// use it up. The press burns the link and recognises this browser.
export async function trustBrowserAction(_: FormState, formData: FormData): Promise<FormState> {
  requireForm(formData);
  const parsed = schema.safeParse({ token: formData.get("token") });
  if (!parsed.success) return { ok: false, error: signInText.trustLinkInvalid };
  const trusted = await redeemBrowserTrustLink({ token: parsed.data.token, request: await getRequestInfo() });
  if (!trusted) return { ok: false, error: signInText.trustLinkUsed };
  await rememberDevice(trusted.userId, trusted.deviceToken);
  redirect("/login?reason=browser-recognised");
}
