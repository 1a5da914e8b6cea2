import Link from "next/link";
import { revokeTokenAction } from "@/app/(dashboard)/profile/tokens/actions";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { LocalTime } from "@/components/local-time";
import { Badge, Button, buttonClass, Card } from "@/components/ui";
import type { listAccessTokens } from "@/lib/api/access-tokens";

type TokenView = Awaited<ReturnType<typeof listAccessTokens>>[number];

export function TokensCard({ tokens }: { tokens: TokenView[] }) {
  return (
    <Card
      id="tokens"
      title="Personal access tokens"
      description="For scripts and integrations that call the StrongSign API on your behalf."
    >
      {tokens.length === 0 ? (
        <p className="text-sm text-slate-600">You have no tokens.</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Personal access tokens">
          {tokens.map((token) => (
            <li key={token.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div className="min-w-0">
                <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
                  {token.name}
                  {token.scopes.map((scope) => (
                    <Badge key={scope} tone="indigo">
                      {scope}
                    </Badge>
                  ))}
                </p>
                <p className="mt-0.5 text-xs text-slate-500">
                  Created <LocalTime at={token.createdAt} /> ·{" "}
                  {token.expiresAt ? (
                    <>
                      Expires <LocalTime at={token.expiresAt} relative />
                    </>
                  ) : (
                    "Never expires"
                  )}{" "}
                  ·{" "}
                  {token.lastUsedAt ? (
                    <>
                      Last used <LocalTime at={token.lastUsedAt} />
                    </>
                  ) : (
                    "Never used"
                  )}
                </p>
              </div>
              <ConfirmDialog
                trigger="Revoke"
                triggerLabel={`Revoke ${token.name}`}
                title={`Revoke the token “${token.name}”?`}
                variant="secondary"
                confirm={
                  <form action={revokeTokenAction}>
                    <input type="hidden" name="tokenId" value={token.id} />
                    <Button type="submit" variant="danger">
                      Revoke token
                    </Button>
                  </form>
                }
              >
                Scripts and integrations that use it are refused from now on. This can&apos;t be undone: they would need
                a new token.
              </ConfirmDialog>
            </li>
          ))}
        </ul>
      )}
      <div className="mt-4 border-t border-slate-100 pt-4">
        <Link href="/profile/tokens/new" className={buttonClass("secondary")}>
          Generate new token
        </Link>
      </div>
    </Card>
  );
}
