// `parley apply -f setup.yaml [--dry-run]`: makes the admin state match a setup file.
// Prints the plan first, then applies it; a second run with the same file plans nothing.
import { readFile } from "node:fs/promises";
import { executeStep, fetchCurrentState } from "../apply/execute.js";
import { computePlan, type PlanStep } from "../apply/plan.js";
import { parseSetupFile, SetupFileError } from "../apply/setup-file.js";
import { expectPositionals, globalSettings, parseCommand } from "../args.js";
import { connectAdmin } from "../client.js";
import type { CommandInput, SingleCommand } from "../command.js";
import { CliError, describeError, UsageError } from "../errors.js";
import { printLine } from "../output.js";
import { readStdin } from "../secret-input.js";

const USAGE = `usage: parley apply -f FILE [--dry-run]

  Makes the admin state match FILE (YAML; "-" reads stdin): creates, updates and deletes
  providers, chains and mappings so that exactly what the file lists exists. Prints the
  plan first; --dry-run stops there. \${NAME} in any value is replaced by environment
  variable NAME (a missing one is an error). See examples/setup.yaml for the format.
`;

const SYMBOL = { create: "+", update: "~", delete: "-" } as const;

function stepTitle(step: PlanStep): string {
  return `${step.action} ${step.resource} ${step.id}`;
}

function printPlan(file: string, plan: readonly PlanStep[]): void {
  if (plan.length === 0) {
    printLine(`No changes: the admin state already matches ${file}.`);
    return;
  }
  const count = (action: PlanStep["action"]) => plan.filter((step) => step.action === action).length;
  printLine(
    `Plan for ${file}: ${count("create")} to create, ${count("update")} to update, ${count("delete")} to delete`,
  );
  for (const step of plan) {
    printLine(`  ${SYMBOL[step.action]} ${step.resource} ${step.id}`);
    if (step.action === "update")
      for (const change of step.changes) printLine(`      ${change.path}: ${change.change}`);
  }
}

function planJson(plan: readonly PlanStep[]): unknown[] {
  return plan.map((step) => ({
    action: step.action,
    resource: step.resource,
    id: step.id,
    changes: step.action === "update" ? step.changes.map((c) => ({ field: c.path, change: c.change })) : [],
  }));
}

async function readSetup(file: string): Promise<string> {
  try {
    return file === "-" ? await readStdin() : await readFile(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${describeError(error)}`);
  }
}

async function apply({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    file: { type: "string", short: "f" },
    "dry-run": { type: "boolean" },
  });
  const settings = globalSettings(values, env);
  expectPositionals(positionals.slice(1), []);
  const file = values.file;
  if (file === undefined) throw new UsageError("-f FILE is required");
  let desired: ReturnType<typeof parseSetupFile>;
  try {
    desired = parseSetupFile(await readSetup(file), env);
  } catch (error) {
    if (error instanceof SetupFileError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
  const clients = connectAdmin(settings);
  const plan = computePlan(desired, await fetchCurrentState(clients));
  const dryRun = values["dry-run"] ?? false;
  if (!settings.json) printPlan(file, plan);
  let applied = 0;
  if (!dryRun) {
    for (const step of plan) {
      try {
        await executeStep(clients, step);
      } catch (error) {
        throw new CliError(
          `${stepTitle(step)} failed (${applied} of ${plan.length} changes applied): ${describeError(error)}`,
        );
      }
      applied++;
    }
  }
  if (settings.json) {
    printLine(JSON.stringify({ file, dryRun, applied: dryRun ? 0 : applied, plan: planJson(plan) }, null, 2));
  } else if (plan.length > 0) {
    printLine(dryRun ? "Dry run: nothing was changed." : `Applied ${applied} changes.`);
  }
  return 0;
}

/** The `parley apply` command. */
export const applyCommand: SingleCommand = { usage: USAGE, run: apply };
