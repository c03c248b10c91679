// Packs ./infrastructure, sends it to the runner for a plan, and applies when the plan has changes and you
// pass --apply. The client packs the directory deterministically, stages it in S3 when it is over the payload
// limit, and hands back the protocol's typed RunResult.
//
//   TF_LAMBDA_FUNCTION=terraform-runner-dynamic TF_LAMBDA_STAGING_BUCKET=... node run.mjs [--apply]
import { join } from "node:path";
import { s3Backend, TerraformRunnerClient } from "@tf-lambda/client";

const functionName = process.env.TF_LAMBDA_FUNCTION ?? "terraform-runner-dynamic";
const bucket = process.env.TF_LAMBDA_STAGING_BUCKET;
if (!bucket) throw new Error("set TF_LAMBDA_STAGING_BUCKET (the example's state lives there too)");
const region = process.env.AWS_REGION ?? "eu-west-1";

const client = new TerraformRunnerClient({ functionName, region, stagingBucket: bucket });
const run = {
  dir: join(import.meta.dirname, "infrastructure"),
  backend: s3Backend({ bucket, key: "state/dynamic-code.tfstate", region, useLockfile: true }),
  vars: { environment: process.env.ENVIRONMENT ?? "dev" },
};

const plan = await client.plan(run);
if (plan.status !== "succeeded") {
  console.error(`plan ${plan.status}: ${plan.error?.type} ${plan.error?.message}`);
  for (const diagnostic of plan.diagnostics) console.error(`  ${diagnostic.severity}: ${diagnostic.summary}`);
  process.exit(1);
}
console.log(
  `plan: ${plan.plan?.add} to add, ${plan.plan?.change} to change, ${plan.plan?.destroy} to destroy`,
);
for (const resource of plan.plan?.resources ?? []) console.log(`  ${resource.action} ${resource.address}`);

if (plan.plan?.hasChanges && process.argv.includes("--apply")) {
  const apply = await client.apply(run);
  console.log(`apply ${apply.status}`, apply.status === "succeeded" ? apply.outputs : apply.error);
  process.exitCode = apply.status === "succeeded" ? 0 : 1;
}
