"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminErrorText, SUDO_EXPIRED_TEXT } from "@/app/messages";
import { getRequestInfo, requireSudo } from "@/dal";
import {
  disableAuditStream,
  isAllowedWebhookUrl,
  rotateAuditStreamSecret,
  saveAuditStream,
  sendAuditStreamTest,
} from "@/lib/audit/stream-settings";
import { type FormState, fieldErrorsOf, formValues } from "@/lib/form-state";
import { requireForm } from "@/lib/platform/action-arguments";

// The signing secret travels back to the form once, never again (README "Audit streaming").
export type AuditStreamState = FormState & { secret?: string };

const url = z
  .string()
  .trim()
  .min(1, "Enter the address events are sent to.")
  .max(2_000, "That address is too long.")
  .refine(
    isAllowedWebhookUrl,
    "Use an https:// address, or http:// only to this machine (127.0.0.1 or [::1]) for testing, without a user name or password.",
  );

const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), url }),
  z.object({ intent: z.enum(["rotate", "disable", "test"]) }),
]);

const SECRET_ONCE = "Copy the signing secret now: you won't be able to see it again.";

// Account settings → Advanced → Audit streaming: one action for the card's forms, each
// saying what it is for in `intent`. An admin in sudo mode only.
export async function auditStreamAction(_: AuditStreamState, formData: FormData): Promise<AuditStreamState> {
  requireForm(formData);
  const values = formValues(formData, ["url"]);
  const parsed = schema.safeParse({ intent: formData.get("intent"), url: formData.get("url") ?? undefined });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values };
  const session = await requireSudo({ admin: true });
  if (!session) return { ok: false, error: SUDO_EXPIRED_TEXT, values };
  const who = { actor: session.user, request: await getRequestInfo() };
  const input = parsed.data;
  const result =
    input.intent === "save"
      ? await saveAuditStream({ ...who, url: input.url })
      : input.intent === "rotate"
        ? await rotateAuditStreamSecret(who)
        : input.intent === "disable"
          ? await disableAuditStream(who)
          : await sendAuditStreamTest(who);
  if (!result.ok)
    return {
      ok: false,
      error: result.error === "not_found" ? "Turn audit streaming on first." : adminErrorText(result.error),
      values,
    };
  revalidatePath("/account/advanced");
  const secret = "secret" in result && typeof result.secret === "string" ? result.secret : undefined;
  const messages = {
    save: secret ? `Audit streaming is on. ${SECRET_ONCE}` : "Saved. Events from now on go to this address.",
    rotate: `New signing secret: the next deliveries are signed with it. ${SECRET_ONCE}`,
    disable: "Audit streaming is off. Nothing still queued will be sent.",
    test: "Test event queued: it shows in the deliveries below within seconds (reload the page).",
  };
  return { ok: true, message: messages[input.intent], secret };
}
