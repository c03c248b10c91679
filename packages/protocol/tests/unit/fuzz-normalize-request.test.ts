import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CommandSchema, DENIED_ENV_NAMES, InvalidRequestError, normalizeRequest } from "../../src/index.js";

const anyJson = fc.jsonValue({ maxDepth: 4 });
const legacyKeys = [
  "command",
  "tf_code",
  "backend",
  "envs",
  "tfvars",
  "tfconfig",
  "aws_access_key",
  "aws_secret_key",
  "debug",
];

/** normalizeRequest either returns a request or throws InvalidRequestError: never anything else. */
function outcome(payload: unknown) {
  try {
    return { request: normalizeRequest(payload) };
  } catch (error) {
    if (!InvalidRequestError.isInstance(error)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    return { error };
  }
}

describe("normalizeRequest under fuzzing", () => {
  it("never crashes on arbitrary JSON", () => {
    fc.assert(
      fc.property(anyJson, (payload) => void outcome(payload)),
      { numRuns: 2000 },
    );
  });

  it("never crashes on arbitrary legacy-shaped objects", () => {
    const legacy = fc.dictionary(
      fc.constantFrom(...legacyKeys),
      fc.oneof(fc.string(), fc.boolean(), anyJson),
    );
    fc.assert(
      fc.property(legacy, (payload) => void outcome(payload)),
      { numRuns: 2000 },
    );
  });

  it("never accepts a command outside the closed set", () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), (command, v1) => {
        const payload = v1 ? { protocol: "tf-lambda/v1", command } : { command };
        const { request } = outcome(payload);
        if (request) expect(CommandSchema.options).toContain(request.command);
      }),
      { numRuns: 1000 },
    );
  });

  it("never accepts a denied or malformed env name", () => {
    const name = fc.oneof(
      fc.constantFrom(...DENIED_ENV_NAMES, "LD_PRELOAD", "AWS_LAMBDA_X", "TF_CLI_ARGS"),
      fc.string(),
    );
    fc.assert(
      fc.property(name, fc.string({ maxLength: 20 }), (envName, value) => {
        const { request } = outcome({ protocol: "tf-lambda/v1", command: "plan", env: { [envName]: value } });
        if (request) {
          expect(envName).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
          expect(DENIED_ENV_NAMES.has(envName.toUpperCase())).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("never accepts a target that could be read as a flag", () => {
    fc.assert(
      fc.property(fc.string(), (target) => {
        const { request } = outcome({
          protocol: "tf-lambda/v1",
          command: "plan",
          options: { targets: [target] },
        });
        if (request) {
          expect(target.startsWith("-")).toBe(false);
          expect(/\p{Cc}/u.test(target)).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
