import { expect, test } from "@playwright/test";

// The files in public/: a dashboard behind a sign-in is nothing for search engines, and
// a tab should show the app's mark, not a blank page icon.
test("robots.txt keeps crawlers out, the favicon is served and linked", async ({ page, request }) => {
  const robots = await request.get("/robots.txt");
  expect(robots.status()).toBe(200);
  expect(await robots.text()).toMatch(/^User-agent: \*\nDisallow: \/$/m);

  const icon = await request.get("/favicon.svg");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");

  await page.goto("/login");
  // Next.js may repeat the head's metadata in a streamed page: every icon link is ours.
  await expect(page.locator('link[rel="icon"]').first()).toHaveAttribute("href", "/favicon.svg");
  expect(
    new Set(await page.locator('link[rel="icon"]').evaluateAll((links) => links.map((l) => l.getAttribute("href")))),
  ).toEqual(new Set(["/favicon.svg"]));
  await expect(page.locator('meta[name="robots"]').first()).toHaveAttribute("content", "noindex, nofollow");
});
