import type { Metadata, Viewport } from "next";
import "./globals.css";

// Every page reads the session or the database: nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "StrongSign", template: "%s · StrongSign" },
  description: "Self-hosted account dashboard for strong sign-in",
  referrer: "same-origin",
  icons: { icon: { url: "/favicon.svg", type: "image/svg+xml" } },
  // robots.txt says the same to crawlers that read it (public/robots.txt).
  robots: { index: false, follow: false },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
