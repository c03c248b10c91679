import type {
  Diagnostic,
  JsonValue,
  OutputValue,
  PlanSummary,
  ResourceAction,
  ResourceChange,
  SourceRange,
} from "@tf-lambda/protocol";

/** One line of terraform's machine-readable UI (`-json`). Only the fields the runtime reads are typed. */
export interface MachineMessage {
  "@level"?: string;
  "@message"?: string;
  type?: string;
  [field: string]: unknown;
}

const ACTIONS: Record<string, ResourceAction> = {
  noop: "no-op",
  "no-op": "no-op",
  create: "create",
  read: "read",
  update: "update",
  replace: "replace",
  delete: "delete",
  move: "move",
  import: "import",
  remove: "forget",
  forget: "forget",
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Parses one stdout line; undefined when it is not a JSON object. */
export function parseMachineLine(line: string): MachineMessage | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) ? (value as MachineMessage) : undefined;
  } catch {
    return undefined;
  }
}

/** A `change` object (planned_change, resource_drift) as a ResourceChange. */
export function resourceChangeOf(change: unknown): ResourceChange | undefined {
  if (!isObject(change) || !isObject(change.resource)) return undefined;
  const resource = change.resource;
  const address = text(resource.addr);
  const action = ACTIONS[String(change.action)];
  if (!address || !action) return undefined;
  const result: ResourceChange = {
    address,
    mode: (text(resource.resource) ?? address).startsWith("data.") ? "data" : "managed",
    type: text(resource.resource_type) ?? "",
    name: text(resource.resource_name) ?? "",
    action,
  };
  const module = text(resource.module);
  if (module) result.module = module;
  if (isObject(change.previous_resource)) {
    const previous = text(change.previous_resource.addr);
    if (previous) result.previousAddress = previous;
  }
  const reason = text(change.reason);
  if (reason) result.reason = reason;
  return result;
}

function position(value: unknown): { line: number; column: number; byte?: number } | undefined {
  if (!isObject(value) || typeof value.line !== "number" || typeof value.column !== "number")
    return undefined;
  return typeof value.byte === "number"
    ? { line: value.line, column: value.column, byte: value.byte }
    : { line: value.line, column: value.column };
}

/** A terraform JSON diagnostic (from a `diagnostic` message or `validate -json`) as a Diagnostic. */
export function diagnosticOf(value: unknown): Diagnostic | undefined {
  if (!isObject(value)) return undefined;
  const summary = text(value.summary);
  if (!summary) return undefined;
  const diagnostic: Diagnostic = { severity: value.severity === "warning" ? "warning" : "error", summary };
  const detail = text(value.detail);
  if (detail) diagnostic.detail = detail;
  const address = text(value.address);
  if (address) diagnostic.address = address;
  if (isObject(value.range)) {
    const start = position(value.range.start);
    const end = position(value.range.end);
    const filename = text(value.range.filename);
    if (start && end && filename) diagnostic.range = { filename, start, end } satisfies SourceRange;
  }
  if (isObject(value.snippet)) {
    const code = text(value.snippet.code);
    if (code) diagnostic.snippet = code;
  }
  return diagnostic;
}

/**
 * The diagnostics of `validate -json`'s single document (`{"valid", "error_count", "diagnostics": [...]}`), or
 * undefined when the text is not such a document (then it is plain output to log as is).
 *
 * @example
 * validateDiagnosticsOf('{"valid":true,"error_count":0,"warning_count":0,"diagnostics":[]}'); // []
 */
export function validateDiagnosticsOf(text: string): Diagnostic[] | undefined {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(document) || !Array.isArray(document.diagnostics)) return undefined;
  return document.diagnostics.flatMap((item: unknown) => diagnosticOf(item) ?? []);
}

/** A diagnostic as people read it in a log. */
export function describeDiagnostic(diagnostic: Diagnostic): string {
  const where = diagnostic.range
    ? ` (${diagnostic.range.filename} line ${diagnostic.range.start.line})`
    : diagnostic.address
      ? ` (${diagnostic.address})`
      : "";
  const heading = `${diagnostic.severity === "warning" ? "Warning" : "Error"}: ${diagnostic.summary}${where}`;
  return diagnostic.detail ? `${heading}\n${diagnostic.detail}` : heading;
}

/** `outputs` as terraform's JSON gives them (`output -json`, the `outputs` message), sensitive values dropped. */
export function outputsOf(value: unknown): {
  outputs: Record<string, OutputValue>;
  sensitiveValues: JsonValue[];
} {
  const outputs: Record<string, OutputValue> = {};
  const sensitiveValues: JsonValue[] = [];
  if (!isObject(value)) return { outputs, sensitiveValues };
  for (const [name, output] of Object.entries(value)) {
    if (!isObject(output)) continue;
    const type = output.type as JsonValue | undefined;
    if (output.sensitive === true) {
      if ("value" in output) sensitiveValues.push(output.value as JsonValue);
      outputs[name] = type === undefined ? { sensitive: true } : { sensitive: true, type };
    } else if ("value" in output) {
      const entry: OutputValue = { sensitive: false, value: output.value as JsonValue };
      if (type !== undefined) entry.type = type;
      outputs[name] = entry;
    }
  }
  return { outputs, sensitiveValues };
}

/**
 * Collects what a plan / apply / destroy stream says: the plan summary, drift, diagnostics, outputs and the
 * resources whose apply completed (to say how far an interrupted run got).
 *
 * @example
 * const collector = new MachineOutputCollector();
 * for (const line of stdout.split("\n")) collector.add(parseMachineLine(line));
 * collector.planSummary(exitCode === 2);
 */
export class MachineOutputCollector {
  readonly diagnostics: Diagnostic[] = [];
  readonly completed: string[] = [];
  outputs: Record<string, OutputValue> = {};
  // A list, not a map by address: one address can carry two planned changes (a tainted object's replace and a
  // deposed object's delete), and the UI's lines do not say which object each is about.
  private readonly planned: ResourceChange[] = [];
  private readonly drift: ResourceChange[] = [];
  private counts: { add: number; change: number; destroy: number; import: number } | undefined;
  private sawPlan = false;

  add(message: MachineMessage | undefined): void {
    if (!message) return;
    switch (message.type) {
      case "planned_change": {
        const change = resourceChangeOf(message.change);
        if (change && change.action !== "no-op") this.planned.push(change);
        break;
      }
      case "resource_drift": {
        const change = resourceChangeOf(message.change);
        if (change) this.drift.push(change);
        break;
      }
      case "change_summary": {
        const changes = message.changes;
        if (isObject(changes)) {
          this.sawPlan = true;
          // The plan's summary counts what is to be done; an apply's final summary what was done. Keep the plan's
          // counts unless the apply finished (its summary comes last).
          this.counts = {
            add: Number(changes.add ?? 0),
            change: Number(changes.change ?? 0),
            destroy: Number(changes.remove ?? 0),
            import: Number(changes.import ?? 0),
          };
        }
        break;
      }
      case "apply_complete": {
        const hook = message.hook;
        if (isObject(hook) && isObject(hook.resource)) {
          const address = text(hook.resource.addr);
          if (address) this.completed.push(address);
        }
        break;
      }
      case "diagnostic": {
        const diagnostic = diagnosticOf(message.diagnostic);
        if (diagnostic) this.diagnostics.push(diagnostic);
        break;
      }
      case "outputs": {
        // Only a value-carrying outputs message (after apply) is a result; the plan's lists actions only.
        const { outputs } = outputsOf(message.outputs);
        if (Object.keys(outputs).length > 0) this.outputs = outputs;
        break;
      }
    }
  }

  /** The plan summary, or null when terraform never got to planning. */
  planSummary(hasChangesFromExitCode?: boolean): PlanSummary | null {
    if (!this.sawPlan && this.planned.length === 0) return null;
    const counts = this.counts ?? { add: 0, change: 0, destroy: 0, import: 0 };
    const resources = [...this.planned];
    const hasChanges =
      hasChangesFromExitCode ??
      (counts.add + counts.change + counts.destroy + counts.import > 0 || resources.length > 0);
    return { ...counts, hasChanges, resources, drift: this.drift };
  }
}

/** A human line for the log from a machine-readable message. */
export function humanLineOf(message: MachineMessage): string | undefined {
  if (message.type === "diagnostic") {
    const diagnostic = diagnosticOf(message.diagnostic);
    if (diagnostic) return describeDiagnostic(diagnostic);
  }
  return text(message["@message"]);
}

/**
 * Diagnostics from terraform's plain-text output (`init` has no `-json` on every version we support). A summary
 * terraform wrapped runs on until the first blank line; a diagnostic printed twice (init does so for configuration
 * errors) is kept once.
 */
export function diagnosticsFromText(output: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const lines = output.split(/\r?\n/).map((line) => line.replace(/^[│╷╵]\s?/, ""));
  for (let index = 0; index < lines.length; index += 1) {
    const match = /^(Error|Warning): (.+)$/.exec(lines[index] as string);
    if (!match) continue;
    const summary = [match[2] as string];
    let cursor = index + 1;
    while (
      cursor < lines.length &&
      lines[cursor]?.trim() &&
      !/^(Error|Warning): /.test(lines[cursor] as string)
    ) {
      summary.push((lines[cursor] as string).trim());
      cursor += 1;
    }
    const detail: string[] = [];
    while (cursor < lines.length && lines[cursor]?.trim() === "") cursor += 1;
    while (cursor < lines.length && !/^(Error|Warning): /.test(lines[cursor] as string)) {
      detail.push(lines[cursor] as string);
      cursor += 1;
    }
    const diagnostic: Diagnostic = {
      severity: match[1] === "Warning" ? "warning" : "error",
      summary: summary.join(" "),
    };
    const detailText = detail.join("\n").trim();
    if (detailText) diagnostic.detail = detailText;
    const key = JSON.stringify(diagnostic);
    if (!seen.has(key)) diagnostics.push(diagnostic);
    seen.add(key);
    index = cursor - 1;
  }
  return diagnostics;
}
