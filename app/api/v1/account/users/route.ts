import { apiError, apiJson, withPrincipal } from "@/lib/api";
import { listUsers } from "@/lib/users";
import { AccountUsers } from "../../schemas";

// SPEC §10: for admins, each user of their own account and their 2FA status.
export function GET(request: Request) {
  return withPrincipal(request, "admin", async ({ user }) => {
    const result = await listUsers({ actor: user });
    if (!result.ok) return apiError(403, "forbidden", "Only administrators of this account can list its users.");
    return apiJson(
      AccountUsers.parse({
        users: result.users.map((row) => ({
          id: row.id,
          email: row.email,
          name: row.name,
          role: row.role,
          two_factor: row.twoFactorStatus,
          compliant: row.compliant,
          locked: row.locked,
          disabled: row.disabled,
          last_sign_in_at: row.lastSignInAt?.toISOString() ?? null,
        })),
      }),
    );
  });
}
