import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "./auth-card";
import { NavLink } from "./nav-link";
import { UserMenu } from "./user-menu";

export function AppShell({
  accountName,
  userName,
  userEmail,
  isAdmin,
  banner,
  children,
}: {
  accountName: string;
  userName: string;
  userEmail: string;
  isAdmin: boolean;
  banner?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
          <div className="flex items-center gap-3">
            <Link href="/profile" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
              <Logo />
              <span>StrongSign</span>
            </Link>
            <span aria-hidden="true" className="text-slate-300">
              /
            </span>
            <span className="max-w-[12rem] truncate text-sm font-medium text-slate-600" title={accountName}>
              {accountName}
            </span>
          </div>
          <UserMenu userName={userName} userEmail={userEmail} />
        </div>
        <nav aria-label="Main" className="mx-auto flex max-w-5xl gap-1 px-4 sm:px-6">
          <NavLink href="/profile">My Profile</NavLink>
          {isAdmin ? <NavLink href="/account">Account settings</NavLink> : null}
        </nav>
      </header>
      {banner}
      <main id="main" className="mx-auto max-w-5xl px-4 py-8 sm:px-6">
        {children}
      </main>
    </div>
  );
}
