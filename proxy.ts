import { type NextRequest, NextResponse } from "next/server";

// Security headers for every response, and a same-origin check for every mutation.
// Server actions already compare Origin with Host; this refuses cross-site writes to
// anything else too, before any application code runs. The token API (/api/v1) is
// exempt: it authenticates with bearer tokens, never cookies, so CSRF cannot apply.

function contentSecurityPolicy(nonce: string, dev: boolean) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes (React, the QR code) need this; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function isCrossSiteMutation(request: NextRequest) {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return false;
  if (request.nextUrl.pathname.startsWith("/api/v1/")) return false;
  if (request.headers.get("sec-fetch-site") === "cross-site") return true;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

export function proxy(request: NextRequest) {
  if (isCrossSiteMutation(request)) {
    return new NextResponse("Cross-site request refused", { status: 403, headers: { "content-type": "text/plain" } });
  }
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with a
  // form it posts without JavaScript, which the check above (and Next.js) must refuse.
  // No address, with its tokens, ever leaves for another site either way.
  response.headers.set("referrer-policy", "same-origin");
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("x-frame-options", "DENY");
  response.headers.set("permissions-policy", "camera=(), microphone=(), geolocation=()");
  response.headers.set("cross-origin-opener-policy", "same-origin");
  // Pages show personal data; nothing dynamic may be cached by a browser or proxy.
  if (!request.nextUrl.pathname.startsWith("/_next/static"))
    response.headers.set("cache-control", "no-store, max-age=0");
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
