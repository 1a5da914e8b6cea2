import { signOut } from "@/auth";
import { readForm } from "@/lib/platform/form-body";

// The user menu's "Sign out" is a plain form that posts here; proxy.ts refuses a
// cross-site post before this runs. Auth.js's signOut event records the sign-out and
// deletes the session row (auth.ts); the cookie goes with it. The browser follows the 303
// to the sign-in page as a full page load, which leaves nothing of the signed-in pages
// in memory. (A server action that redirects would render the sign-in page into its own
// answer, through a request to this server: README "Benchmark".)
export async function POST(request: Request) {
  const form = await readForm(request);
  if (form instanceof Response) return form;
  await signOut({ redirect: false });
  return new Response(null, { status: 303, headers: { location: "/login?reason=signed-out" } });
}
