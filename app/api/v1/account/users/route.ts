import { AccountUsers } from "@/app/api/v1/schemas";
import { peopleText } from "@/app/messages/people";
import { apiError, apiJson, withPrincipal } from "@/lib/api/respond";
import { methodName } from "@/lib/factors/kinds";
import { listUsers } from "@/lib/people/users-list";

// docs/security-model.md, "The API": for admins, each user of their own account and their
// 2FA status.
export function GET(request: Request) {
  return withPrincipal(request, "admin", async ({ user }) => {
    // The whole list, as before the page had pages: read page by page.
    const rows = [];
    let cursor: string | undefined;
    do {
      const result = await listUsers({ actor: user, cursor, pageSize: 200 });
      if (!result.ok) return apiError(403, "forbidden", peopleText.listForbidden);
      rows.push(...result.users);
      cursor = result.next ?? undefined;
    } while (cursor);
    return apiJson(
      AccountUsers.parse({
        users: rows.map((row) => ({
          id: row.id,
          email: row.email,
          name: row.name,
          role: row.role,
          two_factor: row.twoFactorStatus,
          methods: row.methods.map(methodName),
          compliant: row.compliant,
          locked: row.locked,
          disabled: row.disabled,
          last_sign_in_at: row.lastSignInAt?.toISOString() ?? null,
        })),
      }),
    );
  });
}
