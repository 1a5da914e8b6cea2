import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "./auth-card";
import { NavLink } from "./nav-link";

export function AppShell({ accountName, userName, userEmail, isAdmin, signOut, children }: {
  accountName: string;
  userName: string;
  userEmail: string;
  isAdmin: boolean;
  signOut: () => Promise<void>;
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">Skip to content</a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
          <div className="flex items-center gap-3">
            <Link href="/profile" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
              <Logo />
              <span>StrongSign</span>
            </Link>
            <span aria-hidden="true" className="text-slate-300">/</span>
            <span className="max-w-[12rem] truncate text-sm font-medium text-slate-600" title={accountName}>{accountName}</span>
          </div>
          <details className="group relative">
            <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100 [&::-webkit-details-marker]:hidden">
              <span aria-hidden="true" className="flex h-7 w-7 items-center justify-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-700">
                {initials(userName)}
              </span>
              <span className="hidden sm:inline">{userName}</span>
              <span className="sr-only">User menu</span>
              <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 text-slate-500 transition group-open:rotate-180" fill="currentColor"><path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4Z" /></svg>
            </summary>
            <div className="absolute right-0 z-20 mt-2 w-64 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
              <div className="border-b border-slate-100 px-3 pb-2 pt-1">
                <p className="truncate text-sm font-medium text-slate-900">{userName}</p>
                <p className="truncate text-xs text-slate-500">{userEmail}</p>
              </div>
              <Link href="/profile" className="mt-1 block rounded px-3 py-2 text-sm text-slate-700 hover:bg-slate-100">My Profile</Link>
              <form action={signOut}>
                <button type="submit" className="block w-full rounded px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100">Sign out</button>
              </form>
            </div>
          </details>
        </div>
        <nav aria-label="Main" className="mx-auto flex max-w-5xl gap-1 px-4 sm:px-6">
          <NavLink href="/profile">My Profile</NavLink>
          {isAdmin ? <NavLink href="/account">Account settings</NavLink> : null}
        </nav>
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}

function initials(name: string) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((part) => part[0]?.toUpperCase()).join("") || "?";
}
