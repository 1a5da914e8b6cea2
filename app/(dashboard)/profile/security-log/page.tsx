import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/app/(dashboard)/audit-table";
import { Card } from "@/components/ui";
import { requireUser } from "@/dal";
import { listOwnAuditEvents } from "@/lib/audit/log";

export const metadata: Metadata = { title: "Security log · My Profile" };

const PAGE_SIZE = 25;

export default async function SecurityLogPage({
  searchParams,
}: {
  searchParams: Promise<{ cursor?: string | string[]; dir?: string | string[] }>;
}) {
  const { userId } = await requireUser();
  const query = await searchParams;
  const page = await listOwnAuditEvents({
    userId,
    paging: {
      cursor: typeof query.cursor === "string" ? query.cursor : undefined,
      direction: query.dir === "previous" ? "previous" : "next",
      pageSize: PAGE_SIZE,
    },
  });
  const link = (cursor: string, dir: string) => `/profile/security-log?${new URLSearchParams({ cursor, dir })}`;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/profile" className="text-indigo-700 hover:underline">
            ← My Profile
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Security log</h1>
        <p className="mt-1 text-sm text-slate-600">
          Sign-ins and changes to your account&apos;s security, newest first. Something you don&apos;t recognise? Change
          your password and sign out of your other sessions in My Profile.
        </p>
      </div>
      <Card id="security-log" title="Your events" description={`${page.total} in all.`}>
        <AuditTable events={page.events} caption="Your security events" selfId={userId} />
        <nav aria-label="Pages" className="mt-4 flex items-center justify-end gap-4 text-sm">
          {page.newer ? (
            <>
              <Link href="/profile/security-log" className="text-indigo-700 hover:underline">
                Newest
              </Link>
              <Link href={link(page.newer, "previous")} className="text-indigo-700 hover:underline">
                Newer
              </Link>
            </>
          ) : null}
          {page.older ? (
            <Link href={link(page.older, "next")} className="text-indigo-700 hover:underline">
              Older
            </Link>
          ) : null}
        </nav>
      </Card>
    </div>
  );
}
