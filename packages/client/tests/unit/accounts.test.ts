import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { AssumeRoleError, assumeRole, forEachAccount } from "../../src/index.js";

const sts = mockClient(STSClient);
const stsClient = new STSClient({
  region: "us-east-1",
  credentials: { accessKeyId: "a", secretAccessKey: "b" },
});
const ROLE_A = "arn:aws:iam::111111111111:role/Terraform";
const ROLE_B = "arn:aws:iam::222222222222:role/Terraform";

beforeEach(() => {
  sts.reset();
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => ({
    Credentials: {
      AccessKeyId: `ASIA${input.RoleArn.slice(13, 25)}`,
      SecretAccessKey: "secret",
      SessionToken: "token",
      Expiration: new Date(),
    },
  }));
});

describe("assumeRole", () => {
  it("returns the role's temporary credentials in the protocol's shape", async () => {
    const credentials = await assumeRole({ roleArn: ROLE_A, stsClient });

    expect(credentials).toEqual({
      accessKeyId: "ASIA111111111111",
      secretAccessKey: "secret",
      sessionToken: "token",
    });
  });

  it("passes the external id, session name and duration to STS", async () => {
    await assumeRole({
      roleArn: ROLE_A,
      externalId: "ci",
      sessionName: "nightly",
      durationSeconds: 900,
      stsClient,
    });

    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: ROLE_A,
      ExternalId: "ci",
      RoleSessionName: "nightly",
      DurationSeconds: 900,
    });
  });

  it("throws AssumeRoleError naming the role, with STS's error as the cause", async () => {
    const denied = Object.assign(new Error("not allowed"), { name: "AccessDenied" });
    sts.on(AssumeRoleCommand).rejects(denied);

    const error = await assumeRole({ roleArn: ROLE_B, stsClient }).catch((caught: unknown) => caught);

    expect(AssumeRoleError.isInstance(error) && [error.roleArn, error.cause]).toEqual([ROLE_B, denied]);
  });
});

describe("forEachAccount", () => {
  it("runs in every account with that account's credentials", async () => {
    const report = await forEachAccount(
      [ROLE_A, ROLE_B],
      async ({ credentials }) => credentials.accessKeyId,
      {
        stsClient,
      },
    );

    expect(
      report.accounts.map((account) => [
        account.accountId,
        account.status,
        "result" in account && account.result,
      ]),
    ).toEqual([
      ["111111111111", "succeeded", "ASIA111111111111"],
      ["222222222222", "succeeded", "ASIA222222222222"],
    ]);
  });

  it("keeps going when one account fails, and reports the error there", async () => {
    sts.on(AssumeRoleCommand, { RoleArn: ROLE_A }).rejects(new Error("denied"));

    const report = await forEachAccount([ROLE_A, ROLE_B], async () => "done", { stsClient });

    expect([report.accounts[0]?.status, report.accounts[1]?.status, report.errors, report.succeeded]).toEqual(
      ["error", "succeeded", 1, 1],
    );
  });

  it("reports a run result that did not succeed as failed", async () => {
    const report = await forEachAccount(
      [{ roleArn: ROLE_A, label: "prod" }],
      async () => ({ protocol: "tf-lambda/v1", status: "failed" }),
      {
        stsClient,
      },
    );

    expect([report.accounts[0]?.label, report.accounts[0]?.status, report.failed]).toEqual([
      "prod",
      "failed",
      1,
    ]);
  });

  it("keeps at most `concurrency` accounts in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const roles = Array.from({ length: 6 }, (_, index) => `arn:aws:iam::${String(index).repeat(12)}:role/T`);

    await forEachAccount(
      roles,
      async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight -= 1;
      },
      { stsClient, concurrency: 2 },
    );

    expect(most).toBe(2);
  });

  it("runs every account when concurrency is not a number, rather than none", async () => {
    const report = await forEachAccount([ROLE_A, ROLE_B], async () => "done", {
      stsClient,
      concurrency: Number("four"),
    });

    expect(report.accounts.map((account) => account?.status)).toEqual(["succeeded", "succeeded"]);
  });

  it("starts no more accounts once the signal is aborted, and reports them as errors", async () => {
    const controller = new AbortController();
    const started: string[] = [];

    const report = await forEachAccount(
      [ROLE_A, ROLE_B],
      async ({ roleArn }) => {
        started.push(roleArn);
        controller.abort(new Error("stopped by the operator"));
      },
      { stsClient, concurrency: 1, signal: controller.signal },
    );

    expect(started).toEqual([ROLE_A]);
    expect(report.accounts[1]?.status === "error" && report.accounts[1].error.message).toBe(
      "stopped by the operator",
    );
  });
});
