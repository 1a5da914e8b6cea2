import type { CSSProperties, ReactNode } from "react";

// The one look of every StrongSign email. Styles are inline and the markup plain,
// because mail clients drop <style> sheets and most of CSS; the text alternative of each
// message is made from this markup (renderText in ./shared.ts).

const font = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const styles = {
  body: { margin: 0, padding: "24px 12px", backgroundColor: "#f4f4f5", fontFamily: font, color: "#18181b" },
  card: { maxWidth: 560, margin: "0 auto", padding: 32, backgroundColor: "#ffffff", borderRadius: 8 },
  brand: { margin: "0 0 24px", fontSize: 14, fontWeight: 600, letterSpacing: "0.02em", color: "#4338ca" },
  paragraph: { margin: "0 0 16px", fontSize: 15, lineHeight: "24px" },
  button: {
    display: "inline-block",
    padding: "10px 18px",
    borderRadius: 6,
    backgroundColor: "#4338ca",
    color: "#ffffff",
    fontWeight: 600,
    textDecoration: "none",
  },
  url: { margin: "0 0 16px", fontSize: 13, lineHeight: "20px", color: "#52525b", wordBreak: "break-all" },
  code: { margin: "0 0 16px", fontSize: 28, fontWeight: 700, letterSpacing: "0.2em", fontFamily: "monospace" },
  list: { margin: "0 0 16px", paddingLeft: 20, fontSize: 15, lineHeight: "24px" },
  footer: { margin: "24px auto 0", maxWidth: 560, fontSize: 12, lineHeight: "18px", color: "#71717a" },
} satisfies Record<string, CSSProperties>;

export function Layout(props: { title: string; greeting?: string; children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
      </head>
      <body style={styles.body}>
        <div style={styles.card}>
          <p style={styles.brand}>StrongSign</p>
          {props.greeting && <Paragraph>Hello {props.greeting},</Paragraph>}
          {props.children}
        </div>
        <p style={styles.footer}>An automatic message from StrongSign about your account. Replies are not read.</p>
      </body>
    </html>
  );
}

export function Paragraph(props: { children: ReactNode }) {
  return <p style={styles.paragraph}>{props.children}</p>;
}

// The address is printed under the button too: some readers show no buttons, and a
// careful reader checks where a link goes before opening it. The text part leaves the
// button out (react-email skips data-skip-in-text), so it has the link once, on its own line.
export function Action(props: { href: string; children: ReactNode }) {
  return (
    <>
      <p style={styles.paragraph} data-skip-in-text>
        <a href={props.href} style={styles.button}>
          {props.children}
        </a>
      </p>
      <p style={styles.url}>
        <a href={props.href}>{props.href}</a>
      </p>
    </>
  );
}

export function Code(props: { children: string }) {
  return <p style={styles.code}>{props.children}</p>;
}

export function List(props: { items: string[] }) {
  return (
    <ul style={styles.list}>
      {props.items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}
