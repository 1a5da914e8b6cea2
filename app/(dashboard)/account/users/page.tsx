import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { LocalTime } from "@/components/local-time";
import { Badge, buttonClass, Card } from "@/components/ui";
import { requireAdmin } from "@/dal";
import { methodLabels, methodName, TWO_FACTOR_METHODS } from "@/lib/factors/kinds";
import { listUsers, METHOD_FILTERS, type MethodFilter } from "@/lib/people/users-list";
import { InviteForm } from "./invite-form";

export const metadata: Metadata = { title: "Users · Account settings" };

const methodFilterText: Record<MethodFilter, string> = {
  ...(Object.fromEntries(
    TWO_FACTOR_METHODS.map((method) => [methodName(method), methodLabels[method].title]),
  ) as Record<Exclude<MethodFilter, "none">, string>),
  none: "No second factor",
};

const first = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

const querySchema = z.object({
  filter: z.enum(["all", "not_compliant"]).catch("all"),
  q: z.string().trim().max(100).catch(""),
  method: z.enum(METHOD_FILTERS).optional().catch(undefined),
  cursor: z.string().max(2000).optional().catch(undefined),
  dir: z.enum(["next", "previous"]).catch("next"),
});

export default async function AccountUsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { user } = await requireAdmin();
  const raw = await searchParams;
  const query = querySchema.parse({
    filter: first(raw.filter),
    q: first(raw.q) ?? "",
    method: first(raw.method),
    cursor: first(raw.cursor),
    dir: first(raw.dir),
  });
  const { filter, q, method } = query;
  const result = await listUsers({
    actor: user,
    filter,
    search: q,
    method,
    cursor: query.cursor,
    direction: query.dir,
  });
  const page = result.ok ? result : { users: [], total: 0, previous: null, next: null };
  const { users, total } = page;
  const link = (extra: Record<string, string>) => {
    const params = {
      ...(filter === "all" ? {} : { filter }),
      ...(q ? { q } : {}),
      ...(method ? { method } : {}),
      ...extra,
    };
    const text = new URLSearchParams(params).toString();
    return text ? `/account/users?${text}` : "/account/users";
  };
  const narrowed = q !== "" || method !== undefined;
  const described = [
    `${total} ${total === 1 ? "person" : "people"}`,
    filter === "not_compliant" ? " not compliant with the two-factor requirement" : "",
    narrowed ? ` ${total === 1 ? "matches" : "match"} the search` : "",
  ].join("");
  return (
    <div className="space-y-6">
      <Card id="users" title="Users" description={`${described}.`}>
        <nav aria-label="Filter users" className="mb-4 flex gap-2 text-sm">
          <Link
            href="/account/users"
            aria-current={filter === "all" ? "page" : undefined}
            className={`rounded-full px-3 py-1 ${filter === "all" ? "bg-indigo-100 text-indigo-800" : "text-slate-600 hover:bg-slate-100"}`}
          >
            All
          </Link>
          <Link
            href="/account/users?filter=not_compliant"
            aria-current={filter === "not_compliant" ? "page" : undefined}
            className={`rounded-full px-3 py-1 ${filter === "not_compliant" ? "bg-indigo-100 text-indigo-800" : "text-slate-600 hover:bg-slate-100"}`}
          >
            Not compliant
          </Link>
        </nav>
        {/* Keyed by the query, so a link to another query (Clear) shows its values, not the old ones. */}
        <form
          key={`${filter}|${q}|${method ?? ""}`}
          method="get"
          className="mb-4 flex flex-wrap items-end gap-3 text-sm"
        >
          {filter === "all" ? null : <input type="hidden" name="filter" value={filter} />}
          <div className="min-w-0 flex-1 basis-56">
            <label htmlFor="users-q" className="block font-medium text-slate-800">
              Search users
            </label>
            <input
              id="users-q"
              name="q"
              type="search"
              defaultValue={q}
              maxLength={100}
              placeholder="Name or email"
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2"
            />
          </div>
          <div>
            <label htmlFor="users-method" className="block font-medium text-slate-800">
              Method
            </label>
            <select
              id="users-method"
              name="method"
              defaultValue={method ?? ""}
              className="mt-1 block rounded-md border border-slate-300 bg-white px-3 py-2"
            >
              <option value="">Any</option>
              {METHOD_FILTERS.map((m) => (
                <option key={m} value={m}>
                  {methodFilterText[m]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={buttonClass("secondary")}>
            Search
          </button>
          {narrowed ? (
            <Link
              href={filter === "all" ? "/account/users" : `/account/users?filter=${filter}`}
              className="py-2 text-indigo-700 hover:underline"
            >
              Clear
            </Link>
          ) : null}
        </form>
        <div className="relative overflow-x-auto">
          <table className="min-w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="whitespace-nowrap py-2 pr-4 font-medium">
                  Name
                </th>
                <th scope="col" className="whitespace-nowrap py-2 pr-4 font-medium">
                  Role
                </th>
                <th scope="col" className="whitespace-nowrap py-2 pr-4 font-medium">
                  Two-factor
                </th>
                <th scope="col" className="whitespace-nowrap py-2 pr-4 font-medium">
                  Last sign-in
                </th>
                <th scope="col" className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.map((u) => (
                <tr key={u.id}>
                  <td className="py-3 pr-4">
                    <p className="font-medium text-slate-900">{u.name}</p>
                    <p className="text-xs text-slate-500">{u.email}</p>
                    {u.invitation ? (
                      <p className="mt-1 whitespace-nowrap">
                        <Badge tone={u.invitation.status === "pending" ? "indigo" : "amber"}>
                          {u.invitation.status === "pending" ? (
                            <>
                              invited · until <LocalTime at={u.invitation.expiresAt} />
                            </>
                          ) : (
                            `invitation ${u.invitation.status}`
                          )}
                        </Badge>
                      </p>
                    ) : null}
                  </td>
                  <td className="py-3 pr-4">
                    <Badge tone={u.role === "MEMBER" ? "slate" : "indigo"}>{u.role.toLowerCase()}</Badge>
                  </td>
                  <td className="py-3 pr-4">
                    <span className="flex flex-wrap gap-1">
                      {u.methods.length > 0 ? (
                        <Badge tone="green">{u.methods.map((m) => methodLabels[m].short).join(", ")}</Badge>
                      ) : (
                        <Badge tone={u.compliant ? "slate" : "amber"}>None</Badge>
                      )}
                      {u.exempt ? <Badge tone="indigo">Exempt</Badge> : null}
                      {!u.compliant ? <Badge tone="amber">not compliant</Badge> : null}
                      {u.locked ? <Badge tone="red">locked</Badge> : null}
                      {u.disabled ? <Badge tone="red">disabled</Badge> : null}
                    </span>
                    {u.maskedPhone ? (
                      <p className="mt-1 whitespace-nowrap text-xs text-slate-500">Texts to {u.maskedPhone}</p>
                    ) : null}
                  </td>
                  <td className="whitespace-nowrap py-3 pr-4 text-slate-600">
                    {u.lastSignInAt ? <LocalTime at={u.lastSignInAt} /> : "Never"}
                  </td>
                  <td className="py-3 text-right">
                    <Link
                      href={`/account/users/${u.id}`}
                      className="font-medium text-indigo-700 hover:underline"
                      aria-label={`Edit ${u.name}`}
                    >
                      Edit
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {users.length === 0 ? <p className="py-6 text-center text-sm text-slate-500">No users match.</p> : null}
        </div>
        {page.previous || page.next ? (
          <nav aria-label="Pages" className="mt-4 flex items-center justify-end gap-4 text-sm">
            {page.previous ? (
              <>
                <Link href={link({})} className="text-indigo-700 hover:underline">
                  First
                </Link>
                <Link
                  href={link({ cursor: page.previous, dir: "previous" })}
                  className="text-indigo-700 hover:underline"
                >
                  Previous
                </Link>
              </>
            ) : null}
            {page.next ? (
              <Link href={link({ cursor: page.next, dir: "next" })} className="text-indigo-700 hover:underline">
                Next
              </Link>
            ) : null}
          </nav>
        ) : null}
      </Card>
      <Card
        id="invite"
        title="Add a user"
        description="They get an email with a link to choose a password. The link works once, for 7 days."
      >
        <InviteForm />
      </Card>
    </div>
  );
}
