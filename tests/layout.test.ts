// Property: the repository keeps its layout: no import circles, small lib/ and files, the database left to lib/, and no citation of a missing spec.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The repository's layout rules, read off the working tree so that a new file breaks them
// before it is committed. Each rule fails with the list of files that break it.

const root = path.resolve(import.meta.dirname, "..");
const generated = "lib/generated";
const sourceExtensions = [".ts", ".tsx", ".mjs", ".js"];

// Paths relative to the root, with forward slashes, of every file under `dirs` (or the
// files themselves), lib/generated and node_modules left out.
function filesIn(...entries: string[]) {
  const found: string[] = [];
  const walk = (relative: string) => {
    const full = path.join(root, relative);
    if (!fs.existsSync(full) || relative === generated || relative.endsWith("node_modules")) return;
    if (!fs.statSync(full).isDirectory()) {
      found.push(relative);
      return;
    }
    for (const name of fs.readdirSync(full)) walk(path.posix.join(relative, name));
  };
  for (const entry of entries) walk(entry);
  return found.sort();
}

const isSource = (file: string) => sourceExtensions.some((extension) => file.endsWith(extension));

// The file a specifier names, as a path relative to the root (not necessarily existing):
// `@/` is the root, relative specifiers start from the importing file; packages give null.
function target(from: string, specifier: string) {
  if (specifier.startsWith("@/")) return specifier.slice(2);
  if (specifier.startsWith(".")) return path.posix.join(path.posix.dirname(from), specifier);
  return null;
}

function resolve(file: string) {
  const candidates = [file, ...sourceExtensions.map((extension) => `${file}${extension}`)];
  candidates.push(...sourceExtensions.map((extension) => `${file}/index${extension}`));
  return candidates.find((candidate) => fs.existsSync(path.join(root, candidate)) && !isDirectory(candidate)) ?? null;
}

function isDirectory(file: string) {
  return fs.statSync(path.join(root, file)).isDirectory();
}

// Every module a file names: imports (type-only ones too), re-exports and dynamic imports.
function importsOf(file: string) {
  const source = fs.readFileSync(path.join(root, file), "utf8");
  return ts.preProcessFile(source, true, true).importedFiles.map((imported) => imported.fileName);
}

const codeFiles = filesIn("app", "components", "lib", "dal.ts", "auth.ts").filter(isSource);

const graph = new Map(
  codeFiles.map((file) => {
    const edges = importsOf(file)
      .map((specifier) => target(file, specifier))
      .map((named) => (named === null ? null : resolve(named)))
      .filter((resolved): resolved is string => resolved !== null && codeFiles.includes(resolved));
    return [file, [...new Set(edges)]];
  }),
);

// Tarjan's strongly connected components: files that import each other, however roundabout.
function circles(edges: Map<string, string[]>) {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || edges.get(node)?.includes(node)) components.push(component);
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return components;
}

// One shortest way round a circle, from its first file back to it, for the failure message.
function loopThrough(component: string[], edges: Map<string, string[]>) {
  const members = new Set(component);
  const start = [...component].sort()[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of edges.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const loop = [start];
        for (let step: string | undefined = node; step && step !== start; step = cameFrom.get(step))
          loop.splice(1, 0, step);
        return [...loop, start].join(" → ");
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return component.join(", ");
}

const lineCount = (file: string) => fs.readFileSync(path.join(root, file), "utf8").trimEnd().split("\n").length;

describe("the repository's layout", () => {
  it("sees the code it checks, and would see a circle in it", () => {
    expect(graph.get("dal.ts")).toContain("auth.ts");
    const loop = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts", "d.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", []],
    ]);
    expect(circles(loop).map((component) => loopThrough(component, loop))).toEqual(["a.ts → b.ts → c.ts → a.ts"]);
  });

  it("has no import circle among app/, components/, lib/, dal.ts and auth.ts", () => {
    const found = circles(graph).map((component) => loopThrough(component, graph));
    expect(found, `files that import each other:\n${found.join("\n")}`).toEqual([]);
  });

  it("keeps at most 12 files directly in lib/", () => {
    const top = fs.readdirSync(path.join(root, "lib")).filter((name) => !isDirectory(`lib/${name}`));
    expect(top.length, `files directly in lib/: ${top.join(", ")}`).toBeLessThanOrEqual(12);
  });

  it("has no file over 300 lines in app/, components/ or lib/", () => {
    const long = filesIn("app", "components", "lib")
      .map((file) => ({ file, lines: lineCount(file) }))
      .filter(({ lines }) => lines > 300)
      .map(({ file, lines }) => `${file} (${lines} lines)`);
    expect(long, `files over 300 lines:\n${long.join("\n")}`).toEqual([]);
  });

  it("leaves the database to lib/: app/ and components/ do not import lib/platform/db or lib/generated", () => {
    const reachesIn = (named: string) =>
      named === "lib/platform/db" || named === "lib/platform/db.ts" || named.startsWith(`${generated}/`);
    const offenders = filesIn("app", "components")
      .filter(isSource)
      .flatMap((file) =>
        importsOf(file)
          .filter((specifier) => {
            const named = target(file, specifier);
            return named !== null && reachesIn(path.posix.normalize(named));
          })
          .map((specifier) => `${file} imports ${specifier}`),
      );
    expect(offenders, `database imports outside lib/:\n${offenders.join("\n")}`).toEqual([]);
  });

  it("cites no specification document that is not in the repository", () => {
    const citation = /SPEC\s*§/;
    const citing = filesIn("app", "components", "lib", "scripts", "tests", "e2e", "dal.ts", "auth.ts", "proxy.ts")
      .filter((file) => /\.(ts|tsx|mjs|js|css|md)$/.test(file))
      .filter((file) => citation.test(fs.readFileSync(path.join(root, file), "utf8")));
    expect(citing, `files citing the specification:\n${citing.join("\n")}`).toEqual([]);
  });
});
