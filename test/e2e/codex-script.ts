// The conversation the scripted Codex upstreams hold, whatever their wire format: the model
// asks Codex's `exec_command` tool to `cat note.txt`, and answers with the file's content
// once the tool's output comes back. What each mock upstream needs to know about it.

/** What the scripted conversation is about, and what Parley must send to the upstream. */
export interface CodexScript {
  /** The content of note.txt, which must come back in the tool's output. */
  fileContent: string;
  /** The model the upstream must be asked for (after Parley's mapping). */
  model: string;
  /** The provider key Parley must send. */
  apiKey: string;
  /** The key Codex sends Parley, which must never reach the upstream. */
  clientKey: string;
}

/** The tool Codex runs shell commands with (unified exec). */
export const EXEC_TOOL = "exec_command";

/** The arguments of the scripted call, as the model writes them. */
export const EXEC_ARGUMENTS = JSON.stringify({ cmd: "cat note.txt" });

/** The final answer, which Codex prints: a multi-byte character in it is split across writes. */
export function answerText(script: CodexScript): string {
  return `The note says: ${script.fileContent}`;
}

/** Whether a call's arguments are the scripted command (in any JSON spelling). */
export function isScriptedCommand(args: unknown): boolean {
  const text = typeof args === "string" ? args : JSON.stringify(args);
  try {
    const parsed = JSON.parse(text) as { cmd?: unknown };
    return parsed.cmd === "cat note.txt";
  } catch {
    return false;
  }
}

/** Problems with the headers Parley sent upstream on a translated request. */
export function translatedHeaderProblems(
  headers: Record<string, string | string[] | undefined>,
  script: CodexScript,
): string[] {
  const out: string[] = [];
  if (JSON.stringify(headers).includes(script.clientKey)) out.push("the client's key reached the upstream");
  // Translation forwards none of the client dialect's headers (Codex's session and turn ids).
  for (const name of Object.keys(headers)) {
    if (name.startsWith("x-codex-") || name === "originator" || name === "session-id")
      out.push(`the client header ${name} leaked upstream`);
  }
  const credential = headers.authorization ?? headers["x-api-key"];
  if (credential !== `Bearer ${script.apiKey}` && credential !== script.apiKey)
    out.push(`the credential is ${JSON.stringify(credential)}, not the provider key`);
  return out;
}
