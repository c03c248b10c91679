/**
 * The image contract, without a Docker engine: lays out the image's file system in a temporary directory exactly
 * as docker/Dockerfile does (its COPY, ENV and RUN prepare-image.sh lines, followed from the final stage back
 * through the stages it builds on), then runs the image's ENTRYPOINT under the real Lambda Runtime Interface
 * Emulator with the image's environment, rewritten to the temporary paths, and the real terraform.
 *
 * Stand-ins for what only `docker build` can do: the `runtime-build` stage is this checkout after
 * `pnpm --filter @tf-lambda/runtime build`; the official terraform / OpenTofu images are the CLI the tests use.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { RunResultSchema } from "@tf-lambda/protocol";
import { type Emulator, requireTool, startEmulator, toolOrSkip } from "@tf-lambda/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODULE_DIRECTORY, REPOSITORY_ROOT } from "../support/configurations.js";
import {
  type DockerStage,
  expandArguments,
  parseCopy,
  parseDockerfile,
  parseEnvironment,
} from "../support/dockerfile.js";

const terraform = toolOrSkip("terraform");
const emulator = toolOrSkip("emulator");
const RUNTIME_BUNDLE = join(REPOSITORY_ROOT, "packages", "runtime", "dist", "bootstrap.mjs");
const FIXTURE = join(MODULE_DIRECTORY, "tests", "fixtures", "bundled-code");
const DOCKERFILE = join(REPOSITORY_ROOT, "docker", "Dockerfile");

/** The stage whose output is this checkout's built runtime (its WORKDIR maps to the repository root). */
const RUNTIME_BUILD_STAGE = "runtime-build";
/** Paths of the CLI inside the official images. */
const CLI_PATHS_IN_IMAGES = new Set(["/bin/terraform", "/usr/local/bin/tofu"]);

interface LaidOutImage {
  root: string;
  env: Map<string, string>;
  entrypoint: string[];
}

/** Lays the image out under `root`, following the Dockerfile. */
function layOutImage(root: string, buildArguments: Record<string, string>): LaidOutImage {
  const dockerfile = parseDockerfile(DOCKERFILE);
  const args = new Map(dockerfile.globalArguments);
  for (const [name, value] of Object.entries(buildArguments)) args.set(name, value);
  const expand = (text: string) => expandArguments(text, args);
  const byName = new Map(dockerfile.stages.filter((stage) => stage.name).map((stage) => [stage.name, stage]));
  const inRoot = (path: string) => join(root, path);
  const emulated = new Map<DockerStage, Map<string, string>>();
  const cli = requireTool("terraform");

  function copyInto(source: string, destination: string): void {
    const target =
      destination.endsWith("/") && !source.endsWith("/")
        ? join(destination, source.split("/").at(-1) ?? "")
        : destination;
    mkdirSync(dirname(target), { recursive: true });
    cpSync(source, target, { recursive: true, dereference: false });
  }

  function emulate(stage: DockerStage): Map<string, string> {
    const done = emulated.get(stage);
    if (done) return done;
    const base = byName.get(expand(stage.base));
    const env = new Map(base ? emulate(base) : []);
    for (const instruction of stage.instructions) {
      const text = expand(instruction.arguments);
      if (instruction.keyword === "ENV") {
        for (const [name, value] of parseEnvironment(text)) env.set(name, value);
      } else if (instruction.keyword === "COPY") {
        const copy = parseCopy(text);
        const from = copy.from === undefined ? undefined : byName.get(copy.from);
        for (const source of copy.sources) {
          if (copy.from === undefined) {
            copyInto(join(REPOSITORY_ROOT, source), inRoot(copy.destination));
          } else if (from?.name === RUNTIME_BUILD_STAGE) {
            const workdir = from.instructions.find((item) => item.keyword === "WORKDIR")?.arguments ?? "/";
            copyInto(join(REPOSITORY_ROOT, relative(workdir, source)), inRoot(copy.destination));
          } else if (from && !byName.get(expand(from.base)) && CLI_PATHS_IN_IMAGES.has(source)) {
            mkdirSync(dirname(inRoot(copy.destination)), { recursive: true });
            if (!existsSync(inRoot(copy.destination))) symlinkSync(cli, inRoot(copy.destination));
          } else if (from) {
            emulate(from);
            if (source !== copy.destination) copyInto(inRoot(source), inRoot(copy.destination));
          } else {
            throw new Error(`the contract test does not know how to lay out: COPY ${text}`);
          }
        }
      } else if (instruction.keyword === "RUN" && text.includes("prepare-image.sh")) {
        const command = text.replace(/(?<![\w/.-])\/(opt|usr\/local)\//g, `${root}/$1/`);
        const stageEnv = Object.fromEntries(
          [...args, ...env].filter((pair): pair is [string, string] => pair[1] !== undefined),
        );
        const prepared = spawnSync("sh", ["-c", command], {
          env: {
            PATH: process.env.PATH ?? "",
            CHECKPOINT_DISABLE: "1",
            ...stageEnv,
            TF_LAMBDA_TERRAFORM_BIN: cli,
          },
          encoding: "utf8",
        });
        if (prepared.status !== 0)
          throw new Error(`RUN ${command} failed:\n${prepared.stdout}${prepared.stderr}`);
      }
    }
    emulated.set(stage, env);
    return env;
  }

  const final = dockerfile.stages.at(-1);
  if (!final) throw new Error("the Dockerfile has no stage");
  const env = emulate(final);
  const entrypointLine =
    final.instructions.findLast((item) => item.keyword === "ENTRYPOINT")?.arguments ?? "[]";
  const entrypoint = (JSON.parse(entrypointLine) as string[]).map((part, index) =>
    index === 0 ? inRoot(part) : part,
  );
  return { root, env, entrypoint };
}

/** The image's environment with its paths moved under the laid-out root. */
function environmentFor(image: LaidOutImage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of image.env) {
    env[name] = value.startsWith("/") ? join(image.root, value) : value;
  }
  mkdirSync(join(image.root, "tmp"), { recursive: true });
  return env;
}

describe.runIf(terraform && emulator)(
  "the image contract (docker/Dockerfile laid out without Docker)",
  () => {
    let workspace: string;
    let image: LaidOutImage;
    let running: Emulator | undefined;

    beforeAll(() => {
      if (!existsSync(RUNTIME_BUNDLE)) {
        const build = spawnSync("pnpm", ["--filter", "@tf-lambda/runtime...", "run", "build"], {
          cwd: REPOSITORY_ROOT,
          encoding: "utf8",
        });
        expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
      }
      workspace = mkdtempSync(join(tmpdir(), "tf-lambda-image-"));
      image = layOutImage(join(workspace, "rootfs"), {
        BUNDLED_CODE_PATH: relative(REPOSITORY_ROOT, FIXTURE),
        PREINSTALL_PROVIDERS: "true",
      });
    });

    afterAll(async () => {
      await running?.stop();
      if (workspace) {
        spawnSync("chmod", ["-R", "u+w", workspace]);
        rmSync(workspace, { recursive: true, force: true });
      }
    });

    it("lays out the runtime, entrypoint, bundled code and CLI configuration where the runtime looks", () => {
      const env = environmentFor(image);

      expect(readFileSync(join(image.root, "opt/tf-lambda/bootstrap.mjs"))).toEqual(
        readFileSync(RUNTIME_BUNDLE),
      );
      expect(existsSync(join(env.TF_LAMBDA_BUNDLED_CODE_DIR ?? "", "main.tf"))).toBe(true);
      expect(existsSync(env.TF_LAMBDA_CLI_CONFIG_FILE ?? "")).toBe(true);
      expect(env.TF_LAMBDA_WORK_ROOT).toBe(join(image.root, "tmp"));
      expect(image.entrypoint).toEqual([join(image.root, "opt/tf-lambda/entrypoint.sh")]);
    });

    it("makes everything in /opt/tf-lambda read-only and world-readable, the entrypoint executable by all", () => {
      const home = join(image.root, "opt", "tf-lambda");
      const paths = [
        home,
        ...readdirSync(home, { recursive: true, encoding: "utf8" }).map((path) => join(home, path)),
      ];

      const writable = paths.filter((path) => (statSync(path).mode & 0o222) !== 0);
      const unreadable = paths.filter((path) => (statSync(path).mode & 0o444) !== 0o444);

      expect(paths.length).toBeGreaterThan(3);
      expect(writable).toEqual([]);
      expect(unreadable).toEqual([]);
      expect(statSync(join(home, "entrypoint.sh")).mode & 0o111).toBe(0o111);
    });

    it("answers a legacy {command: plan} on the bundled code with a succeeded typed result", async () => {
      const env = environmentFor(image);
      running = await startEmulator({
        bootstrap: image.entrypoint,
        env: {
          ...env,
          PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
          CHECKPOINT_DISABLE: "1",
        },
        timeoutSeconds: 120,
      });

      const response = await running.invoke({ command: "plan" });

      expect(response.statusCode, running.output()).toBe(200);
      const result = RunResultSchema.parse(response.json());
      expect(result.status, JSON.stringify(result, null, 2)).toBe("succeeded");
      expect(result.command).toBe("plan");
      expect(result.plan).toMatchObject({ add: 2, change: 0, destroy: 0, hasChanges: true });
    });
  },
);
