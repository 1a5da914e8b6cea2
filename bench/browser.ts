// What the load benchmark's clients are: a browser reduced to what it sends. Each has its
// own loopback address (so the per-IP limits see one browser each, as in production),
// a keep-alive connection and a cookie jar. Server actions are posted as Next.js's own
// client posts them: `Next-Action` header, router state, and the arguments encoded by
// React's encodeReply (multipart form data), from the same React build the pages ship.
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import zlib from "node:zlib";

const require = createRequire(import.meta.url);
const { encodeReply } = require("next/dist/compiled/react-server-dom-webpack/client.node") as {
  encodeReply: (args: unknown[]) => Promise<FormData | string>;
};

// `wireBytes`: the body as it came over the connection (after HTTP/1.1 chunking is
// undone, before any content-encoding is), `bytes`: the body once decoded.
export type Answer = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  wireBytes: number;
  bytes: number;
};

function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? "identity").trim().toLowerCase()) {
    case "identity":
      return body;
    case "gzip":
    case "x-gzip":
      return zlib.gunzipSync(body);
    case "deflate":
      return zlib.inflateSync(body);
    case "br":
      return zlib.brotliDecompressSync(body);
    default:
      throw new Error(`bench: answer in an unknown content-encoding ${encoding}`);
  }
}

// The server-reference ids of the actions the flow posts, from the build's manifest.
export function actionIds(root: string): Record<string, string> {
  const manifest = require(path.join(root, ".next/server/server-reference-manifest.json")) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  const ids: Record<string, string> = {};
  for (const [id, entry] of Object.entries(manifest.node))
    if (entry.exportedName && entry.filename) ids[`${entry.filename}#${entry.exportedName}`] = id;
  return ids;
}

// Next.js's router state for a page at `segments` (what the client sends with an action).
function routerState(segments: string[]): string {
  let tree: unknown = ["__PAGE__", {}];
  for (const segment of [...segments].reverse()) tree = [segment, { children: tree }];
  return encodeURIComponent(JSON.stringify(["", { children: tree }]));
}

export class Browser {
  readonly cookies = new Map<string, string>();
  private readonly agent: http.Agent;

  // `acceptEncoding`: the load clients ask for "identity" (what the figures in README
  // "Benchmark" were measured with); bench/steps.ts asks for "gzip" to weigh the answers.
  constructor(
    private readonly port: number,
    localAddress: string,
    private readonly acceptEncoding = "identity",
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress });
  }

  close() {
    this.agent.destroy();
  }

  private send(method: string, pathname: string, headers: http.OutgoingHttpHeaders, body?: Buffer) {
    return new Promise<Answer>((resolve, reject) => {
      const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
      const req = http.request(
        {
          host: "127.0.0.1",
          port: this.port,
          method,
          path: pathname,
          agent: this.agent,
          headers: {
            host: `localhost:${this.port}`,
            "user-agent":
              "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36",
            "accept-encoding": this.acceptEncoding,
            ...(cookie ? { cookie } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            this.store(res.headers["set-cookie"] ?? []);
            const wire = Buffer.concat(chunks);
            let body: Buffer;
            try {
              body = decode(wire, res.headers["content-encoding"]);
            } catch (error) {
              return reject(error);
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: body.toString("utf8"),
              wireBytes: wire.length,
              bytes: body.length,
            });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  private store(setCookies: string[]) {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => {
        const [key, val = ""] = a.trim().split("=");
        if (key.toLowerCase() === "max-age") return Number(val) <= 0;
        if (key.toLowerCase() === "expires") return Date.parse(val) <= Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  // A document load, as the address bar does it.
  get(pathname: string) {
    return this.send("GET", pathname, {
      accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
      "sec-fetch-mode": "navigate",
      "sec-fetch-site": "same-origin",
      "sec-fetch-dest": "document",
    });
  }

  // A post from this page: by its script (fetch, a server action) or by the browser itself
  // (a form without script, answered by a document load).
  private post(pathname: string, by: "script" | "browser", headers: http.OutgoingHttpHeaders, body: Buffer) {
    return this.send(
      "POST",
      pathname,
      {
        ...headers,
        "content-length": body.length,
        origin: `http://localhost:${this.port}`,
        "sec-fetch-mode": by === "script" ? "cors" : "navigate",
        "sec-fetch-site": "same-origin",
        "sec-fetch-dest": by === "script" ? "empty" : "document",
      },
      body,
    );
  }

  // The page's script posting a form with fetch() (multipart, as FormData is sent).
  async fetchForm(pathname: string, data: FormData) {
    const request = new Request("http://localhost/", { method: "POST", body: data });
    const body = Buffer.from(await request.arrayBuffer());
    return this.post(pathname, "script", { accept: "*/*", "content-type": request.headers.get("content-type")! }, body);
  }

  // A form posted without script (the browser then follows the redirect, as a document load).
  submit(pathname: string, fields: Record<string, string> = {}) {
    const body = Buffer.from(new URLSearchParams(fields).toString());
    return this.post(
      pathname,
      "browser",
      {
        accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "content-type": "application/x-www-form-urlencoded",
      },
      body,
    );
  }

  // A server action called from a form on the page at `pathname` (route `segments`).
  async action(pathname: string, segments: string[], actionId: string, args: unknown[]) {
    const encoded = await encodeReply(args);
    const request = new Request("http://localhost/", { method: "POST", body: encoded });
    const body = Buffer.from(await request.arrayBuffer());
    return this.post(
      pathname,
      "script",
      {
        accept: "text/x-component",
        "next-action": actionId,
        "next-router-state-tree": routerState(segments),
        "content-type": request.headers.get("content-type") ?? "text/plain;charset=UTF-8",
      },
      body,
    );
  }
}

export function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}
