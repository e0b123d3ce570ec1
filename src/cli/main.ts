#!/usr/bin/env node
// The `parley` command. `parley serve` runs the proxy; the other commands are clients of the
// admin API (providers, mappings, chains, health checks, apply), built on the generated
// Connect clients. Errors end the process with one line on stderr and a non-zero code.
import { commandWords, DEFAULT_ADMIN_URL } from "./args.js";
import type { CommandGroup, Env } from "./command.js";
import { applyCommand } from "./commands/apply.js";
import { chainsCommands } from "./commands/chains.js";
import { healthCommands } from "./commands/health.js";
import { mappingsCommands } from "./commands/mappings.js";
import { providersCommands } from "./commands/providers.js";
import { describeError, exitCodeFor, UsageError } from "./errors.js";
import { serve } from "./serve.js";

const USAGE = `usage: parley <command> [flags]

  serve                                   run the data plane and the admin API (configured by the environment)
  providers create|list|get|update|delete manage upstream providers
  mappings  create|list|get|update|delete manage model mappings (client model name -> provider/model or chain)
  chains    create|list|get|update|delete manage fallback chains
  health    run|list|get                  run health checks against a provider's models
  apply -f FILE [--dry-run]               make the admin state match a setup file

global flags (admin commands):
  --admin-url URL    the admin API (default ${DEFAULT_ADMIN_URL}, or PARLEY_ADMIN_URL)
  --token TOKEN      the admin bearer token (default PARLEY_ADMIN_TOKEN)
  --json             print the API's responses as JSON instead of tables
  -h, --help         help for a command ("parley providers --help")
`;

const GROUPS: Record<string, CommandGroup> = {
  providers: providersCommands,
  mappings: mappingsCommands,
  chains: chainsCommands,
  health: healthCommands,
};

function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

/** Runs an admin command; resolves to the exit code. */
async function runAdminCommand(argv: readonly string[], env: Env): Promise<number> {
  const [name, verb] = commandWords(argv);
  if (name === undefined || name === "help") {
    const topic = name === "help" ? verb : undefined;
    const group = topic === undefined ? undefined : topic === "apply" ? applyCommand : GROUPS[topic];
    process.stdout.write(group?.usage ?? USAGE);
    return 0;
  }
  if (name === "apply") {
    if (wantsHelp(argv)) {
      process.stdout.write(applyCommand.usage);
      return 0;
    }
    return applyCommand.run({ argv, env });
  }
  const group = GROUPS[name];
  if (group === undefined) throw new UsageError(`unknown command "${name}" (see parley --help)`);
  if (wantsHelp(argv)) {
    process.stdout.write(group.usage);
    return 0;
  }
  const command = verb === undefined ? undefined : group.verbs[verb];
  if (command === undefined) {
    const verbs = Object.keys(group.verbs).join("|");
    throw new UsageError(
      verb === undefined
        ? `parley ${name} ${verbs}: missing command`
        : `unknown command "${name} ${verb}" (expected ${verbs})`,
    );
  }
  return command({ argv, env });
}

/** The admin URL a command line points at, for error hints (no validation here). */
function adminUrlOf(argv: readonly string[], env: Env): string {
  const index = argv.findIndex((arg) => arg === "--admin-url" || arg.startsWith("--admin-url="));
  const flag = argv[index] ?? "";
  if (index !== -1) return flag.includes("=") ? flag.slice(flag.indexOf("=") + 1) : (argv[index + 1] ?? "");
  return env.PARLEY_ADMIN_URL?.trim() || DEFAULT_ADMIN_URL;
}

function main(argv: string[]): void {
  if (argv[0] === "serve") {
    serve();
    return;
  }
  runAdminCommand(argv, process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`parley: ${describeError(error, adminUrlOf(argv, process.env))}\n`);
      process.exitCode = exitCodeFor(error);
    },
  );
}

main(process.argv.slice(2));
