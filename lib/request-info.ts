// Who is asking, as far as a request tells: the client IP and user agent. Kept free of
// next/* so that route handlers, server actions and tests can all pass plain headers.
export type RequestInfo = { ip: string; userAgent: string };

export function requestInfoFrom(headers: Headers): RequestInfo {
  // The nearest proxy (Next.js itself when there is none) appends the peer address last;
  // earlier entries are whatever the client claimed.
  const forwarded = headers.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  const ip = forwarded.at(-1) || headers.get("x-real-ip") || "unknown";
  return { ip: ip.slice(0, 64), userAgent: (headers.get("user-agent") ?? "").slice(0, 512) };
}
