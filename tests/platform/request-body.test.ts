// Property: a server action body React's decoder would fail on is refused with a 400 or 415 before Next.js sees it; ordinary posts pass.
import { describe, expect, it } from "vitest";
import { ACTION_BODY_MAX_DEPTH, ACTION_MAX_ARGUMENTS } from "@/lib/config";
import { actionBodyRefusal } from "@/lib/platform/request-body";

// What scripts/serve.ts refuses before Next.js decodes a server action's body. Attack: a
// body React's decoder chokes on (not JSON, nested past its recursion, a form cut short)
// made Next.js answer 500 before any of the app's code ran; a probe of the parser should
// be told it sent a bad request, and cost the server nothing.

const actionId = "7f298851a8d5516b8bb838d0643063f57d430dba8c";
const text = "text/plain;charset=UTF-8";

function nested(depth: number) {
  return `${"[".repeat(depth)}0${"]".repeat(depth)}`;
}

async function multipart(fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const request = new Request("http://localhost/", { method: "POST", body: form });
  return { contentType: request.headers.get("content-type")!, body: Buffer.from(await request.arrayBuffer()) };
}

const refuse = (body: string | Buffer, contentType = text) =>
  actionBodyRefusal({ actionId, contentType, body: Buffer.isBuffer(body) ? body : Buffer.from(body) });

describe("a server action's arguments as text (React's encoding without a form)", () => {
  it("passes a JSON array of arguments, as React sends it", async () => {
    expect(await refuse("[]")).toBeNull();
    expect(await refuse(JSON.stringify([{ name: "Laptop", response: { id: "abc", response: {} } }]))).toBeNull();
    expect(await refuse(nested(ACTION_BODY_MAX_DEPTH))).toBeNull();
    // Brackets inside strings are not nesting.
    expect(await refuse(JSON.stringify(["[".repeat(1000), '\\"[[[']))).toBeNull();
  });

  it("refuses what React's decoder would fail on, with a 400", async () => {
    const bodies = [
      "hello there",
      "[1, 2",
      nested(5000),
      nested(ACTION_BODY_MAX_DEPTH + 1),
      JSON.stringify({ kind: "code" }),
      '"just a string"',
      JSON.stringify(Array.from({ length: ACTION_MAX_ARGUMENTS + 1 }, () => 0)),
      Buffer.from([0x5b, 0xff, 0xfe, 0x5d]),
      "",
    ];
    for (const body of bodies) {
      expect(await refuse(body), String(body).slice(0, 40)).toEqual({
        status: 400,
        message: "Bad request: the body is not a server action's arguments.",
      });
    }
  });

  it("refuses any other type with a 415", async () => {
    for (const type of ["application/json", "application/x-www-form-urlencoded", "text/html", "", "application/xml"]) {
      expect(await refuse("[]", type)).toMatchObject({ status: 415 });
    }
  });
});

describe("a server action's arguments as a form (React's encoding with a form)", () => {
  it("passes a whole form whose argument parts are JSON", async () => {
    const { contentType, body } = await multipart({ "0": '[{},"$K1"]', "1_email": "a@b.test", "1_code": "[[[[" });
    expect(await refuse(body, contentType)).toBeNull();
  });

  it("refuses a form cut short, a missing or bad argument part, with a 400", async () => {
    const whole = await multipart({ "0": '["$K1"]', "1_email": "a@b.test" });
    const cut = whole.body.subarray(0, whole.body.length - 20);
    expect(await refuse(cut, whole.contentType)).toEqual({
      status: 400,
      message: "Bad request: the form data was incomplete.",
    });
    const bad: Record<string, string>[] = [
      { "1_email": "a@b.test" },
      { "0": "not json" },
      { "0": "{}" },
      { "0": '["$K1"]', "2": nested(5000) },
    ];
    for (const fields of bad) {
      const { contentType, body } = await multipart(fields);
      expect(await refuse(body, contentType), JSON.stringify(fields).slice(0, 60)).toMatchObject({ status: 400 });
    }
  });
});

describe("a form posted without JavaScript (no Next-Action header)", () => {
  const post = (body: Buffer, contentType: string) => actionBodyRefusal({ actionId: undefined, contentType, body });

  it("leaves ordinary posts to the page alone", async () => {
    expect(await post(Buffer.from("{}"), "application/json")).toBeNull();
    const { contentType, body } = await multipart({ email: "a@b.test" });
    expect(await post(body, contentType)).toBeNull();
  });

  it("checks the action's reference parts, and refuses a form cut short", async () => {
    const good = await multipart({ $ACTION_REF_1: "", "$ACTION_1:0": '{"id":"x","bound":"$@1"}', "$ACTION_1:1": "[]" });
    expect(await post(good.body, good.contentType)).toBeNull();
    const deep = await multipart({ $ACTION_REF_1: "", "$ACTION_1:0": nested(5000) });
    expect(await post(deep.body, deep.contentType)).toMatchObject({ status: 400 });
    const cut = good.body.subarray(0, 40);
    expect(await post(cut, good.contentType)).toMatchObject({ status: 400 });
  });
});
