import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { renderReadme } from "../../scripts/generate-docs.js";
import { blocksOf, expressionText, type HclBody, type HclFile, localsOf } from "../../scripts/hcl.js";
import {
  CONFIGURATIONS,
  filesOf,
  MODULE_DIRECTORY,
  moduleCallProblems,
  REPOSITORY_ROOT,
  unresolvedReferences,
} from "../support/configurations.js";
import { declaredArguments, parseDockerfile } from "../support/dockerfile.js";
import { wildcardGrants } from "../support/iam.js";

/** CloudWatch Logs' allowed retention values (PutRetentionPolicy), 0 meaning "never expire". */
const CLOUDWATCH_RETENTION_DAYS = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Variables whose values are bounded or enumerable: each must carry a validation block. */
const VALIDATED_VARIABLES = [
  "name",
  "timeout",
  "memory_size",
  "ephemeral_storage_size",
  "architecture",
  "environment_variables",
  "tracing_mode",
  "reserved_concurrent_executions",
  "maximum_retry_attempts",
  "maximum_event_age_in_seconds",
  "failure_destination_arn",
  "success_destination_arn",
  "ecr_image_tag_mutability",
  "ecr_keep_images",
  "terraform_distribution",
  "terraform_version",
  "opentofu_version",
  "node_version",
  "assume_role_arns",
  "policy_arns",
  "policy_json",
  "cloudwatch_logs_retention_in_days",
  "vpc_subnet_ids",
  "security_group_egress_cidr_blocks",
  "bucket_name",
  "alarm_duration_threshold_percent",
  "alarm_period_seconds",
  "schedules",
];

async function moduleFiles(): Promise<HclFile[]> {
  return filesOf(MODULE_DIRECTORY);
}

function variable(files: readonly HclFile[], name: string): HclBody {
  const found = blocksOf(files, "variable").find((block) => block.name === name);
  if (!found) throw new Error(`no variable ${name}`);
  return found.body;
}

describe.each(CONFIGURATIONS)("$name", ({ directory }) => {
  it("declares every variable with a type and a description", async () => {
    const files = await filesOf(directory);

    const incomplete = blocksOf(files, "variable")
      .filter((block) => !expressionText(block.body.type) || typeof block.body.description !== "string")
      .map((block) => block.name);

    expect(incomplete).toEqual([]);
  });

  it("describes every output and refers only to what it declares", async () => {
    const files = await filesOf(directory);

    const undescribed = blocksOf(files, "output")
      .filter((block) => typeof block.body.description !== "string")
      .map((block) => block.name);
    const unresolved = await unresolvedReferences(directory);

    expect(undescribed).toEqual([]);
    expect(unresolved).toEqual([]);
  });

  it("calls local modules with declared arguments and every required variable", async () => {
    expect(await moduleCallProblems(directory)).toEqual([]);
  });

  it("grants no wildcard action on a wildcard resource", async () => {
    expect(wildcardGrants(await filesOf(directory))).toEqual([]);
  });
});

describe("the module's variables", () => {
  it.each(VALIDATED_VARIABLES)("%s is validated", async (name) => {
    const body = variable(await moduleFiles(), name);

    expect(Array.isArray(body.validation) && body.validation.length).toBeGreaterThan(0);
  });

  it("accepts exactly CloudWatch's retention values for the log group", async () => {
    const body = variable(await moduleFiles(), "cloudwatch_logs_retention_in_days");
    const [validation] = body.validation as HclBody[];

    const condition = expressionText(validation?.condition) ?? "";
    const listed = /contains\(\[([^\]]*)\]/
      .exec(condition)?.[1]
      ?.split(",")
      .map((value) => Number(value.trim()));

    expect(listed).toEqual(CLOUDWATCH_RETENTION_DAYS);
  });

  it("defaults asynchronous retries to 0", async () => {
    expect(variable(await moduleFiles(), "maximum_retry_attempts").default).toBe(0);
  });
});

describe("the module's image", () => {
  it("passes the Dockerfile exactly the build arguments it declares", async () => {
    const files = await moduleFiles();
    const image = blocksOf(files, "resource").find((block) => block.name === "docker_image.this");
    const build = (image?.body.build as HclBody[] | undefined)?.[0];
    const local = /^local\.(\w+)$/.exec(expressionText(build?.build_args) ?? "")?.[1] ?? "";

    const passed = Object.keys((localsOf(files).get(local) ?? {}) as HclBody).sort();
    const declared = [
      ...declaredArguments(parseDockerfile(join(REPOSITORY_ROOT, "docker", "Dockerfile"))),
    ].sort();

    expect(passed.length).toBeGreaterThan(0);
    expect(passed).toEqual(declared);
  });

  it("tags the image with a content hash of its inputs, never a timestamp", async () => {
    const files = await moduleFiles();
    const text = files.map((file) => file.text).join("\n");
    const locals = localsOf(files);

    expect(String(locals.get("image_tag"))).toContain("local.image_content_hash");
    expect(expressionText(locals.get("image_content_hash"))).toMatch(/filesha256/);
    expect(text).not.toMatch(/\b(timestamp|plantimestamp|uuid)\(/);
  });

  it("scans pushed images and keeps only the last N", async () => {
    const files = await moduleFiles();
    const repository = blocksOf(files, "resource").find((block) => block.name === "aws_ecr_repository.this");
    const lifecycle = blocksOf(files, "resource").find(
      (block) => block.name === "aws_ecr_lifecycle_policy.this",
    );

    expect(repository?.body.image_scanning_configuration).toEqual([{ scan_on_push: true }]);
    expect(expressionText(lifecycle?.body.policy)).toContain("var.ecr_keep_images");
  });
});

describe("the wildcard check", () => {
  it("finds the article's Action = * on Resource = * policy", async () => {
    const text = `
resource "aws_iam_role_policy" "bad" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}
data "aws_iam_policy_document" "bad" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
`;
    const files: HclFile[] = [{ path: "bad.tf", text, body: (await parse("bad.tf", text)) as HclBody }];

    expect(wildcardGrants(files)).toHaveLength(2);
  });
});

describe("the module's README", () => {
  it("holds the inputs and outputs tables generated from the HCL", async () => {
    const readme = readFileSync(join(MODULE_DIRECTORY, "README.md"), "utf8");

    expect(await renderReadme(readme)).toBe(readme);
  });
});
