import { apiJson, withPrincipal } from "@/lib/api";
import { isTwoFactorMethod, methodName, methodsOf } from "@/lib/methods";
import { Me } from "../schemas";

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
