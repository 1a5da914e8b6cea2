import { Me } from "@/app/api/v1/schemas";
import { apiJson, withPrincipal } from "@/lib/api/respond";
import { isTwoFactorMethod, methodName, methodsOf } from "@/lib/factors/kinds";

export function GET(request: Request) {
  return withPrincipal(request, "read", async ({ user, scopes, via }) =>
    apiJson(
      Me.parse({
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        account: { id: user.account.id, name: user.account.name },
        two_factor: {
          method: isTwoFactorMethod(user.twoFactorMethod) ? methodName(user.twoFactorMethod) : null,
          methods: methodsOf(user).map(methodName),
          passkeys: user._count.webAuthnCredentials,
          exempt: user.twoFactorExempt,
        },
        auth: { via, scopes },
      }),
    ),
  );
}
