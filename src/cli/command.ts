// What every command receives and returns, so main.ts can dispatch without knowing them.

/** The environment a command reads (process.env in production). */
export type Env = Record<string, string | undefined>;

/** The raw arguments after `parley` and the environment. */
export interface CommandInput {
  /** Everything after `parley`, flags included, to be parsed by the command with its own options. */
  argv: readonly string[];
  env: Env;
}

/** A command: resolves to the process exit code. */
export type Command = (input: CommandInput) => Promise<number>;

/** A group of commands under one noun (`parley providers <verb>`). */
export interface CommandGroup {
  /** The group's usage text. */
  usage: string;
  verbs: Record<string, Command>;
}

/** A command without verbs (`parley apply`). */
export interface SingleCommand {
  usage: string;
  run: Command;
}
