"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

// A navigation link that marks itself as the current page (aria-current) when active.
export function NavLink({
  href,
  exact = false,
  children,
}: {
  href: string;
  exact?: boolean;
  children: React.ReactNode;
}) {
  const pathname = usePathname();
  const active = exact ? pathname === href : pathname.startsWith(href);
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={`-mb-px whitespace-nowrap border-b-2 px-3 py-2.5 text-sm font-medium ${active ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"}`}
    >
      {children}
    </Link>
  );
}
