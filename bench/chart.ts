// docs/bench-load.svg: sign-in flows per second against concurrent clients, one line per
// database, each with its argon2id baseline (dashed) from the same run.
import fs from "node:fs";
import path from "node:path";

type Result = {
  database: string;
  instances: number;
  argon2: { verificationsPerSec: number };
  levels: { clients: number; flowsPerSec: number; steps: Record<string, { p95: number }> }[];
};

const COLORS: Record<string, string> = { SQLite: "#4338ca", PostgreSQL: "#0f766e" };

function escapeXml(text: string) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

export function drawChart(resultsDir: string, out: string) {
  const results: Result[] = ["sqlite.json", "postgresql.json"]
    .map((name) => path.join(resultsDir, name))
    .filter((file) => fs.existsSync(file))
    .map((file) => JSON.parse(fs.readFileSync(file, "utf8")) as Result);
  if (results.length === 0) return;
  const width = 640;
  const height = 360;
  const left = 56;
  const right = 180;
  const top = 36;
  const bottom = 48;
  const clients = [...new Set(results.flatMap((r) => r.levels.map((l) => l.clients)))].sort((a, b) => a - b);
  const peak = Math.max(
    ...results.flatMap((r) => [r.argon2.verificationsPerSec, ...r.levels.map((l) => l.flowsPerSec)]),
  );
  const yMax = Math.ceil((peak * 1.1) / 5) * 5;
  const x = (k: number) => left + (clients.indexOf(k) / Math.max(1, clients.length - 1)) * (width - left - right);
  const y = (v: number) => top + (1 - v / yMax) * (height - top - bottom);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>Sign-in flows per second by concurrent clients</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="600" fill="#0f172a">Sign-in flows/s (login → password → TOTP → profile → sign out)</text>`,
  );
  for (let i = 0; i <= 5; i++) {
    const v = (yMax / 5) * i;
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}" stroke="#e2e8f0"/>`,
      `<text x="${left - 8}" y="${y(v) + 4}" text-anchor="end" fill="#475569">${v.toFixed(0)}</text>`,
    );
  }
  for (const k of clients)
    parts.push(`<text x="${x(k)}" y="${height - bottom + 18}" text-anchor="middle" fill="#475569">${k}</text>`);
  parts.push(
    `<text x="${(left + width - right) / 2}" y="${height - 12}" text-anchor="middle" fill="#0f172a">concurrent clients (K)</text>`,
  );
  results.forEach((result, index) => {
    const color = COLORS[result.database] ?? "#334155";
    const points = result.levels.map((l) => `${x(l.clients)},${y(l.flowsPerSec)}`).join(" ");
    const base = y(result.argon2.verificationsPerSec);
    const legend = top + 10 + index * 44;
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2.5"/>`,
      ...result.levels.map((l) => `<circle cx="${x(l.clients)}" cy="${y(l.flowsPerSec)}" r="3.5" fill="${color}"/>`),
      `<line x1="${left}" x2="${width - right}" y1="${base}" y2="${base}" stroke="${color}" stroke-dasharray="6 4"/>`,
      `<line x1="${width - right + 16}" x2="${width - right + 36}" y1="${legend}" y2="${legend}" stroke="${color}" stroke-width="2.5"/>`,
      `<text x="${width - right + 42}" y="${legend + 4}" fill="#0f172a">${escapeXml(result.database)} (${result.instances}×)</text>`,
      `<line x1="${width - right + 16}" x2="${width - right + 36}" y1="${legend + 18}" y2="${legend + 18}" stroke="${color}" stroke-dasharray="6 4"/>`,
      `<text x="${width - right + 42}" y="${legend + 22}" fill="#475569">argon2id verify/s</text>`,
    );
  });
  parts.push("</svg>");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${parts.join("\n")}\n`);
}
