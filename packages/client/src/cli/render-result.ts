import type { Diagnostic, OutputValue, ResourceAction, RunResult } from "@tf-lambda/protocol";

/** ANSI styling, or none. */
export interface Style {
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const COLORS: Style = {
  bold: wrap(1, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  dim: wrap(2, 22),
};

const same = (text: string) => text;
export const NO_COLORS: Style = { bold: same, red: same, green: same, yellow: same, cyan: same, dim: same };

/** The symbol terraform prints before a resource for an action. */
export function actionSymbol(action: ResourceAction): string {
  switch (action) {
    case "create":
      return "+";
    case "update":
      return "~";
    case "delete":
      return "-";
    case "replace":
      return "-/+";
    case "read":
      return "<=";
    case "move":
      return "->";
    case "import":
      return "<-";
    case "forget":
      return ".";
    default:
      return " ";
  }
}

function colorFor(action: ResourceAction, style: Style): (text: string) => string {
  if (action === "create" || action === "import") return style.green;
  if (action === "delete" || action === "forget") return style.red;
  if (action === "replace") return style.yellow;
  if (action === "update" || action === "move") return style.yellow;
  return style.cyan;
}

/** A diagnostic as terraform prints it: `Error: summary`, `on file line N:`, the snippet, the detail. */
export function renderDiagnostic(diagnostic: Diagnostic, style: Style): string {
  const error = diagnostic.severity === "error";
  const label = error ? style.red(style.bold("Error:")) : style.yellow(style.bold("Warning:"));
  const lines = [`${label} ${style.bold(diagnostic.summary)}`, ""];
  if (diagnostic.range) {
    const { filename, start } = diagnostic.range;
    lines.push(
      `  on ${filename} line ${start.line}${diagnostic.address ? `, in ${diagnostic.address}` : ""}:`,
    );
    if (diagnostic.snippet) {
      for (const [offset, text] of diagnostic.snippet.split("\n").entries()) {
        lines.push(`  ${String(start.line + offset).padStart(4)}: ${text}`);
      }
    }
    lines.push("");
  } else if (diagnostic.address) {
    lines.push(`  with ${diagnostic.address}`, "");
  }
  if (diagnostic.detail) lines.push(diagnostic.detail, "");
  return lines.join("\n");
}

function renderOutput(name: string, output: OutputValue): string {
  if (output.sensitive) return `${name} = <sensitive>`;
  const value = JSON.stringify(output.value, null, 2);
  return `${name} = ${value}`;
}

function seconds(durationMs: number): string {
  return `${(durationMs / 1000).toFixed(1)} s`;
}

/**
 * A run result for people: per-resource actions, the plan summary in terraform's words, outputs,
 * diagnostics, the status line, and the log when asked for.
 */
export function renderResult(result: RunResult, style: Style, options: { log?: boolean } = {}): string {
  const parts: string[] = [];
  const plan = result.plan;
  if (plan && plan.resources.length > 0) {
    const lines = plan.resources.map((resource) => {
      const paint = colorFor(resource.action, style);
      const reason = resource.reason ? style.dim(` (${resource.reason})`) : "";
      return `  ${paint(actionSymbol(resource.action).padStart(3))} ${resource.address}${reason}`;
    });
    parts.push(lines.join("\n"));
  }
  if (plan && result.status === "succeeded") {
    const counts = `${plan.add} to add, ${plan.change} to change, ${plan.destroy} to destroy`;
    if (result.command === "plan") {
      parts.push(
        plan.hasChanges
          ? `${style.bold("Plan:")} ${style.green(`${plan.add} to add`)}, ${style.yellow(`${plan.change} to change`)}, ${style.red(`${plan.destroy} to destroy`)}.`
          : style.green("No changes. Your infrastructure matches the configuration."),
      );
    } else if (result.command === "apply") {
      parts.push(
        style.green(
          style.bold(
            `Apply complete! Resources: ${plan.add} added, ${plan.change} changed, ${plan.destroy} destroyed.`,
          ),
        ),
      );
    } else if (result.command === "destroy") {
      parts.push(style.green(style.bold(`Destroy complete! Resources: ${plan.destroy} destroyed.`)));
    } else {
      parts.push(counts);
    }
  }
  if (result.status === "succeeded" && result.command === "validate") {
    parts.push(style.green(style.bold("Success! The configuration is valid.")));
  }
  const outputs = Object.entries(result.outputs);
  if (outputs.length > 0) {
    parts.push(
      `${style.bold("Outputs:")}\n\n${outputs.map(([name, value]) => renderOutput(name, value)).join("\n")}`,
    );
  }
  for (const diagnostic of result.diagnostics) parts.push(renderDiagnostic(diagnostic, style).trimEnd());
  if (options.log) {
    const truncated = result.log.truncated
      ? style.dim(`(log truncated: last part of ${result.log.bytes} bytes)\n`)
      : "";
    parts.push(`${style.bold("Log:")}\n${truncated}${result.log.text.trimEnd()}`);
  }
  const version = result.terraformVersion ? `, ${result.terraformVersion}` : "";
  const what = `tf-lambda ${result.command ?? "run"}`;
  if (result.status === "succeeded") {
    parts.push(style.dim(`${what}: succeeded in ${seconds(result.durationMs)}${version}`));
  } else {
    const paint = result.status === "interrupted" ? style.yellow : style.red;
    parts.push(
      paint(
        `${what}: ${result.status} (${result.error.type}) after ${seconds(result.durationMs)}: ${result.error.message}`,
      ) + (result.error.issues ?? []).map((issue) => `\n  - ${issue.field}: ${issue.message}`).join(""),
    );
  }
  return `${parts.join("\n\n")}\n`;
}
