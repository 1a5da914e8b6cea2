// Property: no action or route under app/ types a sentence of its own; every word comes from app/messages, which imports only itself and lib/config.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Every word in one place: what actions and routes answer is written in app/messages.ts
// and app/messages/, so a sentence is changed once and reads the same everywhere.

const root = path.resolve(import.meta.dirname, "..");

// Another engineer is reworking the API's sign-in routes; they join the rule once merged.

function filesIn(directory: string): string[] {
  return fs.readdirSync(path.join(root, directory), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(directory, entry.name);
    return entry.isDirectory() ? filesIn(relative) : [relative];
  });
}

const isActionFile = (file: string) => /(^|\/)(actions|[^/]+-actions|route)\.ts$/.test(file);

// Starts with a capital letter, has a space, ends with . ? or !: "Saved." is a word, not a sentence.
const sentence = /^[A-Z].* .*[.?!]$/s;

// A template's literal parts are read whole (with … for each value) and one by one, so a
// sentence followed by a value is caught too.
function textsOf(node: ts.Node): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (!ts.isTemplateExpression(node)) return [];
  const parts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
  return [parts.join("…"), ...parts.map((part) => part.trim())];
}

function sentencesIn(file: string, source: string) {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const text = textsOf(node).find((candidate) => sentence.test(candidate));
    if (text !== undefined) {
      const line = tree.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push(`${file}:${line} ${JSON.stringify(text)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return found;
}

const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

describe("the words of actions and routes", () => {
  it("finds a sentence, even one followed by a value, and lets words and keys pass", () => {
    const source = `const a = { error: "That took too long. Try again." };
const b = \`Invitation sent to \${email}.\`;
const c = \`We've sent a lot of codes to you. \${tryAgainText(seconds)}\`;
const d = { message: formText.saved, kind: "Saved.", id: "sign_in.failed", path: "/login?reason=expired" };`;
    expect(sentencesIn("example/actions.ts", source).map((found) => found.split(" ")[0])).toEqual([
      "example/actions.ts:1",
      "example/actions.ts:2",
      "example/actions.ts:3",
    ]);
  });

  it("sees the action and route files", () => {
    const files = filesIn("app").filter(isActionFile);
    expect(files).toContain("app/login/actions.ts");
    expect(files).toContain("app/login/passkey-actions.ts");
    expect(files).toContain("app/api/v1/me/route.ts");
  });

  it("has no sentence typed in an action or route file under app/: they come from app/messages", () => {
    const typed = filesIn("app")
      .filter((file) => isActionFile(file))
      .flatMap((file) => sentencesIn(file, read(file)));
    expect(typed, `sentences to move to app/messages.ts or app/messages/:\n${typed.join("\n")}`).toEqual([]);
  });

  // Client forms may import these files: the phone library behind app/messages.ts must not
  // come in with them.
  it("keeps app/messages/ light: its files import only each other and lib/config", () => {
    const heavy = filesIn("app/messages").flatMap((file) =>
      ts
        .preProcessFile(read(file), true, true)
        .importedFiles.map((imported) => imported.fileName)
        .filter((name) => !name.startsWith("@/app/messages/") && !name.startsWith("./") && name !== "@/lib/config")
        .map((name) => `${file} imports ${name}`),
    );
    expect(heavy).toEqual([]);
  });
});
