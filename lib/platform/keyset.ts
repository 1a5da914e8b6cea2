import { z } from "zod";

// Keyset paging: a page is "the rows after (or before) this row in the list's order", named
// by the sort keys of that row. Unlike an offset it stays right when rows are added while
// someone pages, and the database reads only one page from its index.

export type PageDirection = "next" | "previous";

const cursorSchema = z.array(z.string().max(500)).min(1).max(4);

export function encodeCursor(keys: string[]) {
  return Buffer.from(JSON.stringify(keys)).toString("base64url");
}

// The keys of a cursor from a URL, or null when it is not one this app made with `count` keys.
export function decodeCursor(value: unknown, count: number): string[] | null {
  if (typeof value !== "string" || value.length > 2000) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success && parsed.data.length === count ? parsed.data : null;
  } catch {
    return null;
  }
}
