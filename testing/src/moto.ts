import { type ChildProcess, spawn } from "node:child_process";
import { freePort, waitForPort } from "./ports.js";
import { requireTool } from "./tools.js";

/** A running moto server on 127.0.0.1 (S3, DynamoDB, STS and the rest of moto's services). */
export interface MotoServer {
  endpoint: string;
  region: string;
  /** Credentials moto accepts (any are accepted; these are fixed so tests can assert on them). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts moto's server on a free loopback port and waits until it answers. */
export async function startMoto(): Promise<MotoServer> {
  const binary = requireTool("moto");
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: "true" },
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  let alive = true;
  child.once("exit", () => {
    alive = false;
  });
  try {
    await waitForPort(port, 30_000, () => alive);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`moto did not start: ${(error as Error).message}\n${output}`);
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (!alive) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
