import { LocalTime } from "@/components/local-time";
import { Badge, Button, Card } from "@/components/ui";
import { describeUserAgent } from "@/lib/format/user-agent";
import { readRememberToken } from "@/lib/sign-in/remember-cookie";
import { listRememberedBrowsers } from "@/lib/sign-in/remembered-browser";
import { forgetRememberedBrowserAction } from "./remembered-browsers-actions";

// Beside Sessions: the browsers that skip the second step (README "Remember this
// browser"), where and when each was remembered, and "Forget" one or all. Shown while
// the account offers it to someone with a second step, or while any is left.
export async function RememberedBrowsersCard({
  user,
}: {
  user: {
    id: string;
    twoFactorMethod: string | null;
    account: { rememberBrowserAllowed: boolean; rememberBrowserDays: number };
  };
}) {
  const browsers = await listRememberedBrowsers({
    userId: user.id,
    account: user.account,
    currentToken: await readRememberToken(user.id),
  });
  if (browsers.length === 0 && !(user.account.rememberBrowserAllowed && user.twoFactorMethod)) return null;
  return (
    <Card
      id="remembered-browsers"
      title="Remembered browsers"
      description="Browsers where you sign in with your password alone, without a second step."
    >
      {browsers.length === 0 ? (
        <p className="text-sm text-slate-600">
          None. When you sign in, tick &ldquo;Don&apos;t ask for a second step on this browser&rdquo; on a computer only
          you use.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Remembered browsers">
          {browsers.map((browser) => {
            const device = describeUserAgent(browser.userAgent);
            return (
              <li key={browser.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                <div className="min-w-0">
                  <p className="flex items-center gap-2 text-sm font-medium text-slate-900">
                    {device}
                    {browser.current ? <Badge tone="green">This browser</Badge> : null}
                  </p>
                  <p id={`remembered-${browser.id}`} className="mt-0.5 text-xs text-slate-500">
                    IP {browser.ip ?? "unknown"} · Remembered <LocalTime at={browser.createdAt} /> ·{" "}
                    {browser.lastUsedAt ? (
                      <>
                        Last used <LocalTime at={browser.lastUsedAt} />
                      </>
                    ) : (
                      "Not used yet"
                    )}{" "}
                    · Until <LocalTime at={browser.endsAt} />
                  </p>
                </div>
                <form action={forgetRememberedBrowserAction}>
                  <input type="hidden" name="id" value={browser.id} />
                  <Button
                    type="submit"
                    variant="secondary"
                    aria-label={`Forget ${device} from ${browser.ip ?? "unknown IP"}`}
                    aria-describedby={`remembered-${browser.id}`}
                  >
                    Forget
                  </Button>
                </form>
              </li>
            );
          })}
        </ul>
      )}
      {browsers.length > 1 ? (
        <form action={forgetRememberedBrowserAction} className="mt-4 border-t border-slate-100 pt-4">
          <Button type="submit" variant="danger">
            Forget all remembered browsers
          </Button>
        </form>
      ) : null}
    </Card>
  );
}
