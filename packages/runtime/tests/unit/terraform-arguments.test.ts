import { describe, expect, it } from "vitest";
import { commandArguments, initArguments, workspaceArguments } from "../../src/terraform-arguments.js";

describe("terraform arguments", () => {
  it("plans with -json and -detailed-exitcode", () => {
    expect(commandArguments("plan", {})).toEqual([
      "plan",
      "-input=false",
      "-no-color",
      "-json",
      "-detailed-exitcode",
    ]);
  });

  it("applies and destroys without asking", () => {
    expect(commandArguments("apply", {})).toContain("-auto-approve");
    expect(commandArguments("destroy", {})).toEqual([
      "destroy",
      "-input=false",
      "-no-color",
      "-json",
      "-auto-approve",
    ]);
  });

  it("maps every option to one flag", () => {
    const args = commandArguments("apply", {
      targets: ["terraform_data.a", 'module.m["x"].terraform_data.b'],
      replace: ["terraform_data.c"],
      refresh: false,
      refreshOnly: true,
      parallelism: 3,
      lockTimeout: "30s",
      lock: false,
    });

    expect(args.slice(5)).toEqual([
      "-target=terraform_data.a",
      '-target=module.m["x"].terraform_data.b',
      "-replace=terraform_data.c",
      "-refresh=false",
      "-refresh-only",
      "-parallelism=3",
      "-lock=false",
      "-lock-timeout=30s",
    ]);
  });

  it("keeps an address that looks like a flag inside one -target= argument", () => {
    expect(commandArguments("plan", { targets: ["a -destroy"] })).toContain("-target=a -destroy");
  });

  it("initialises with a backend config file, -upgrade and lock options", () => {
    expect(initArguments("plan", { upgrade: true, lockTimeout: "5s" }, "/ws/backend.tfbackend")).toEqual([
      "init",
      "-input=false",
      "-no-color",
      "-backend-config=/ws/backend.tfbackend",
      "-upgrade",
      "-lock-timeout=5s",
    ]);
  });

  it("initialises validate without a backend", () => {
    expect(initArguments("validate", { lockTimeout: "5s" }, "/ws/backend.tfbackend")).toEqual([
      "init",
      "-input=false",
      "-no-color",
      "-backend=false",
    ]);
  });

  it("selects or creates the workspace", () => {
    expect(workspaceArguments("staging")).toEqual([
      "workspace",
      "select",
      "-no-color",
      "-or-create",
      "staging",
    ]);
  });
});
