"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getRequestInfo, requireUser } from "@/dal";
import { requireForm } from "@/lib/platform/action-arguments";
import { forgetOwnRememberedBrowsers } from "@/lib/sign-in/remembered-browser";

// My Profile → Remembered browsers: "Forget" one (an id of the user's own; any other
// forgets nothing) or "Forget all". The browser is asked for a second step again at its
// next sign-in.
const forgetSchema = z.object({ id: z.string().min(1).max(64).nullable() });

export async function forgetRememberedBrowserAction(formData: FormData): Promise<void> {
  requireForm(formData);
  const parsed = forgetSchema.safeParse({ id: formData.get("id") });
  if (!parsed.success) return;
  const session = await requireUser();
  await forgetOwnRememberedBrowsers({
    userId: session.userId,
    accountId: session.user.accountId,
    // No id: "Forget all".
    id: parsed.data.id ?? undefined,
    request: await getRequestInfo(),
  });
  revalidatePath("/profile");
}
