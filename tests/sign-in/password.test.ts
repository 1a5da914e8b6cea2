// Property: passwords are hashed with salted argon2id, an unknown email costs a hash's time, and a password is long, uncommon, not the email's name.
import { describe, expect, it } from "vitest";
import { checkPasswordPolicy, hashPassword, verifyAgainstDummy, verifyPassword } from "@/lib/sign-in/password";

describe("password hashing", () => {
  it("hashes with argon2id at or above OWASP's parameters and verifies", async () => {
    const hash = await hashPassword("a perfectly fine passphrase");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=1\$/);
    const [, m, t] = hash.match(/m=(\d+),t=(\d+)/)!;
    expect(Number(m)).toBeGreaterThanOrEqual(19_456);
    expect(Number(t)).toBeGreaterThanOrEqual(2);
    expect(await verifyPassword(hash, "a perfectly fine passphrase")).toBe(true);
    expect(await verifyPassword(hash, "a perfectly fine passphrasE")).toBe(false);
  });

  it("salts: the same password hashes differently twice", async () => {
    expect(await hashPassword("same password twice")).not.toBe(await hashPassword("same password twice"));
  });

  it("treats a malformed stored hash as a mismatch, not a crash", async () => {
    expect(await verifyPassword("not-a-hash", "whatever password")).toBe(false);
  });

  // Guards against user enumeration by timing: an unknown email must cost a real hash.
  it("spends comparable time on the dummy hash as on a real one", async () => {
    const hash = await hashPassword("timing comparison password");
    await verifyAgainstDummy("warm up");
    // Interleaved, and compared by their medians, so that a busy machine slows both alike.
    const time = async (fn: () => Promise<unknown>) => {
      const start = performance.now();
      await fn();
      return performance.now() - start;
    };
    const reals: number[] = [];
    const dummies: number[] = [];
    for (let i = 0; i < 7; i++) {
      reals.push(await time(() => verifyPassword(hash, "wrong password here")));
      dummies.push(await time(() => verifyAgainstDummy("wrong password here")));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const real = median(reals);
    const dummy = median(dummies);
    expect(dummy).toBeGreaterThan(real * 0.5);
    expect(dummy).toBeLessThan(real * 2);
  });
});

describe("password policy", () => {
  it("enforces length 12..256", () => {
    expect(checkPasswordPolicy("elevenchars")).toBe("too_short");
    expect(checkPasswordPolicy("twelve chars")).toBeNull();
    expect(checkPasswordPolicy("x".repeat(10) + "y".repeat(247))).toBe("too_long");
  });

  it("refuses common passwords, also with digits and symbols tacked on", () => {
    expect(checkPasswordPolicy("qwerty123456")).toBe("common");
    expect(checkPasswordPolicy("1q2w3e4r5t6y")).toBe("common");
    expect(checkPasswordPolicy("sunshine2024!!")).toBe("common");
    expect(checkPasswordPolicy("Password123456")).toBe("common");
    expect(checkPasswordPolicy("aaaaaaaaaaaaaaa")).toBe("common");
  });

  it("refuses a password containing the email's name", () => {
    expect(checkPasswordPolicy("margaret-is-great-42", { email: "margaret@example.com" })).toBe("contains_email");
  });

  it("accepts a long unusual passphrase", () => {
    expect(checkPasswordPolicy("violet tractor sings on tuesdays")).toBeNull();
  });
});
