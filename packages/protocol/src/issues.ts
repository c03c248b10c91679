import type { z } from "zod";
import type { RequestIssue } from "./errors.js";

type ZodIssue = z.core.$ZodIssue;

/** Formats a path the way users write it: `env.PATH`, `options.targets[2]`, `code.s3.bucket`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else {
      const name = String(segment);
      text += /^[A-Za-z_$][\w$-]*$/.test(name) ? (text ? `.${name}` : name) : `[${JSON.stringify(name)}]`;
    }
  }
  return text;
}

function describeReceived(issue: ZodIssue): string {
  if (issue.code === "invalid_type") {
    const input = (issue as { input?: unknown }).input;
    if (input === undefined) return "is required";
    const received = input === null ? "null" : Array.isArray(input) ? "an array" : typeof input;
    return `must be ${article(issue.expected)}, got ${received}`;
  }
  return issue.message;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

/**
 * Turns zod issues into field-named problems. For a union, the branch that matched deepest explains the
 * problem (`code.zip: is not valid base64`), else the union's own message does.
 */
export function toRequestIssues(
  issues: readonly ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): RequestIssue[] {
  const result: RequestIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        result.push({ field: formatPath([...path, key]), message: "is not a known field" });
      }
      continue;
    }
    if (issue.code === "invalid_key" && issue.issues.length > 0) {
      result.push(
        ...issue.issues.map((inner) => ({ field: formatPath(path), message: describeReceived(inner) })),
      );
      continue;
    }
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const best = deepestBranch(issue.errors);
      if (best) {
        result.push(...toRequestIssues(best, path));
        continue;
      }
    }
    result.push({ field: formatPath(path), message: describeReceived(issue) });
  }
  return result;
}

function deepestBranch(branches: readonly (readonly ZodIssue[])[]): readonly ZodIssue[] | undefined {
  let best: readonly ZodIssue[] | undefined;
  let bestDepth = 0;
  let tied = false;
  for (const branch of branches) {
    const mismatched = branch.some(
      (issue) =>
        issue.code === "unrecognized_keys" || (issue.code === "invalid_type" && issue.path.length === 0),
    );
    if (mismatched) continue;
    const depth = Math.max(0, ...branch.map((issue) => issue.path.length));
    if (depth > bestDepth) {
      best = branch;
      bestDepth = depth;
      tied = false;
    } else if (depth === bestDepth) {
      tied = true;
    }
  }
  return tied ? undefined : best;
}
