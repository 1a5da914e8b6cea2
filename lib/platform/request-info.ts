import { CLIENT_ADDRESS_HEADER, decodeClientAddressHeader } from "./client-address";

// Who is asking, as far as a request tells: the client address and user agent. Kept free
// of next/* so that route handlers, server actions and tests can all pass plain headers.
export type RequestInfo = { ip: string; userAgent: string };

// The address comes only from the custom server (scripts/serve.ts), which read it off the
// socket and the trusted proxies (lib/platform/client-address.ts). A request that did not pass
// through it has no address we can believe: "unknown", never a header of the client's.
export function requestInfoFrom(headers: Headers): RequestInfo {
  const ip =
    decodeClientAddressHeader(headers.get(CLIENT_ADDRESS_HEADER), process.env.CLIENT_ADDRESS_PROOF) ?? "unknown";
  return { ip: ip.slice(0, 64), userAgent: (headers.get("user-agent") ?? "").slice(0, 512) };
}
