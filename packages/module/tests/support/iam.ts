import { blocksOf, type HclBody, type HclFile, type HclValue } from "../../scripts/hcl.js";

const WILDCARD_ACTIONS = new Set(["*", "*:*"]);

function asList(value: HclValue | undefined): HclValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function statementsOf(body: HclBody): HclBody[] {
  const statements = asList(body.statement).filter(
    (item): item is HclBody => typeof item === "object" && item !== null && !Array.isArray(item),
  );
  const dynamic = body.dynamic;
  if (dynamic && typeof dynamic === "object" && !Array.isArray(dynamic)) {
    for (const block of asList(dynamic.statement)) {
      if (block && typeof block === "object" && !Array.isArray(block)) {
        for (const content of asList(block.content)) {
          if (content && typeof content === "object" && !Array.isArray(content)) statements.push(content);
        }
      }
    }
  }
  return statements;
}

/**
 * Policy statements that allow every action on every resource: in `aws_iam_policy_document` data sources, and in
 * `jsonencode` policies written in the HCL text (`Action = "*"` with `Resource = "*"`).
 */
export function wildcardGrants(files: readonly HclFile[]): string[] {
  const found: string[] = [];
  for (const document of blocksOf(files, "data").filter((block) =>
    block.name.startsWith("aws_iam_policy_document."),
  )) {
    for (const statement of statementsOf(document.body)) {
      const allows = (statement.effect ?? "Allow") === "Allow";
      const actions = asList(statement.actions).map(String);
      const resources = statement.resources === undefined ? ["*"] : asList(statement.resources).map(String);
      if (allows && actions.some((action) => WILDCARD_ACTIONS.has(action)) && resources.includes("*")) {
        found.push(`${document.name} (${document.file}) allows ${actions.join(", ")} on *`);
      }
    }
  }
  for (const file of files) {
    const objects = file.text.split(/\{/);
    for (const object of objects) {
      const action = /\bAction\s*=\s*(\[[^\]]*\]|"[^"]*")/.exec(object)?.[1] ?? "";
      const resource = /\bResource\s*=\s*(\[[^\]]*\]|"[^"]*")/.exec(object)?.[1] ?? "";
      const effect = /\bEffect\s*=\s*"(\w+)"/.exec(object)?.[1] ?? "Allow";
      if (effect === "Allow" && /"\*(:\*)?"/.test(action) && /"\*"/.test(resource)) {
        found.push(`${file.path}: a jsonencode policy allows ${action} on ${resource}`);
      }
    }
  }
  return found;
}
