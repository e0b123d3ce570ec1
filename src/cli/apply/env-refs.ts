// `${NAME}` references in setup files, replaced by environment variables so secrets stay
// out of the file. `$${` writes a literal `${`. A missing or empty variable is an error.

/** A reference to a variable that is not set, or a malformed reference. */
export class EnvReferenceError extends Error {
  override readonly name = "EnvReferenceError";
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Replaces every `${NAME}` in text by the variable's value. */
export function expandEnvReferences(text: string, env: Record<string, string | undefined>): string {
  return text.replace(REFERENCE, (match, name: string | undefined) => {
    if (match === "$${") return "${";
    const variable = name ?? "";
    if (!NAME.test(variable))
      throw new EnvReferenceError(`"\${${variable}}" is not a valid variable reference`);
    const value = env[variable];
    if (value === undefined || value === "") {
      throw new EnvReferenceError(`environment variable ${variable} is not set`);
    }
    return value;
  });
}
