// Plans ./baseline in every account, two at a time: assumes each account's role from here and sends the
// temporary credentials with the run (the article's multi-account pattern, typed).
//
//   TF_LAMBDA_FUNCTION=terraform-runner-multi-account TF_LAMBDA_STAGING_BUCKET=... STATE_BUCKET=... \
//   ACCOUNT_ROLES=arn:aws:iam::111111111111:role/Terraform,arn:aws:iam::222222222222:role/Terraform \
//   node fan-out.mjs
import { join } from "node:path";
import { forEachAccount, s3Backend, TerraformRunnerClient } from "@tf-lambda/client";

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

const region = process.env.AWS_REGION ?? "eu-west-1";
const client = new TerraformRunnerClient({
  functionName: required("TF_LAMBDA_FUNCTION"),
  region,
  stagingBucket: process.env.TF_LAMBDA_STAGING_BUCKET,
});
const roles = required("ACCOUNT_ROLES").split(",");

const report = await forEachAccount(
  roles,
  ({ accountId, credentials }) =>
    client.plan({
      dir: join(import.meta.dirname, "baseline"),
      credentials,
      backend: s3Backend({ bucket: required("STATE_BUCKET"), key: `baseline/${accountId}.tfstate`, region }),
    }),
  { concurrency: 2, region },
);

for (const account of report.accounts) {
  if (account.status === "error") {
    console.log(`${account.label}: error: ${account.error.message}`);
  } else if (account.result.status === "succeeded") {
    const plan = account.result.plan;
    console.log(
      `${account.label}: ${plan?.add ?? 0} to add, ${plan?.change ?? 0} to change, ${plan?.destroy ?? 0} to destroy`,
    );
  } else {
    console.log(`${account.label}: ${account.result.status}: ${account.result.error?.message ?? ""}`);
  }
}
console.log(`${report.succeeded} succeeded, ${report.failed} failed, ${report.errors} errors`);
process.exitCode = report.failed + report.errors > 0 ? 1 : 0;
