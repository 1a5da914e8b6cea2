// Imported first by scripts/serve.ts. tsx turns on Node's source maps so that stack traces
// name TypeScript lines; in a production server that keeps every loaded file's map in
// memory (about 60 MB) and maps the stack of every error thrown, and Next.js throws one
// for each redirect. Off there, unless asked for with --enable-source-maps.
const asked = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((option) =>
  option.includes("--enable-source-maps"),
);
if (process.env.NODE_ENV === "production" && !asked) process.setSourceMapsEnabled(false);
