import { type ChildProcess, spawn } from "node:child_process";

export interface RuntimeProcessOptions {
  /** The bootstrap command, e.g. `[process.execPath, "dist/bootstrap.mjs"]`. */
  command: readonly string[];
  env: Readonly<Record<string, string>>;
  /** Receives everything the runtime prints. */
  onOutput: (text: string) => void;
  /** Called once when the process exits, with its exit code or signal. */
  onExit: (description: string) => void;
}

/**
 * One runtime child process, in its own process group so that stopping it also stops the terraform it
 * started (Lambda freezes or discards the whole sandbox the same way).
 */
export class RuntimeProcess {
  private readonly child: ChildProcess;
  private exited = false;
  private readonly exitPromise: Promise<void>;

  constructor(options: RuntimeProcessOptions) {
    const [executable, ...args] = options.command;
    if (!executable) throw new TypeError("the runtime command is empty");
    this.child = spawn(executable, args, {
      env: { ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    this.child.stdout?.setEncoding("utf8").on("data", options.onOutput);
    this.child.stderr?.setEncoding("utf8").on("data", options.onOutput);
    this.exitPromise = new Promise((resolve) => {
      const finish = (description: string) => {
        if (this.exited) return;
        this.exited = true;
        options.onExit(description);
        resolve();
      };
      this.child.once("error", (error) => finish(`could not start: ${error.message}`));
      this.child.once("exit", (code, signal) =>
        finish(signal ? `signal: ${signal}` : `exit status ${code ?? "unknown"}`),
      );
    });
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Stops the process group: SIGTERM, then SIGKILL after `graceMs`. Resolves once the runtime exited. */
  async stop(graceMs = 2_000): Promise<void> {
    if (this.exited) return;
    this.signal("SIGTERM");
    const timer = setTimeout(() => this.signal("SIGKILL"), graceMs);
    await this.exitPromise;
    clearTimeout(timer);
    // terraform may outlive a killed runtime in the same group: make sure nothing is left behind.
    this.signal("SIGKILL");
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }
}
