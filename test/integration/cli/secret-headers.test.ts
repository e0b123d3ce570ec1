// The CLI with write-only headers, as a subprocess against a real admin API: `apply` with
// a secret header (Azure OpenAI's api-key) from ${ENV} plans nothing on a second run and an
// update when the value changes, `providers get` shows the header's hint, and no output
// ever carries the value. Also: a health-check interval under the floor is refused.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminUnderTest, type CliRun, cliFor, jsonOf, startAdmin } from "./cli-harness.js";

const AZURE_KEY = "azure-SECRET-one-0a1b2c3d";
const ROTATED_KEY = "azure-SECRET-two-4e5f6g7h";

const SETUP = `
providers:
  - id: azure
    kind: openai
    base_url: https://team.openai.azure.com/openai/v1
    headers:
      api-key: \${AZURE_KEY}
      x-title: Parley
`;

let admin: AdminUnderTest;
let parley: ReturnType<typeof cliFor>;
let dir: string;
let path: string;
const outputs: string[] = [];

beforeAll(async () => {
  admin = await startAdmin();
  parley = cliFor(admin);
  dir = mkdtempSync(join(tmpdir(), "parley-secret-headers-"));
  path = join(dir, "setup.yaml");
  writeFileSync(path, SETUP);
});
afterAll(async () => {
  await admin.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const result = await parley(args, { env });
  outputs.push(result.stdout, result.stderr);
  return result;
}

function ok(result: CliRun): CliRun {
  expect(result.stderr, result.stdout).toBe("");
  expect(result.code).toBe(0);
  return result;
}

describe("secret headers in the CLI", () => {
  it("apply creates the provider, and a second run plans nothing", async () => {
    ok(await run(["apply", "-f", path], { AZURE_KEY }));
    const again = ok(await run(["apply", "-f", path], { AZURE_KEY }));
    expect(again.stdout).toBe(`No changes: the admin state already matches ${path}.\n`);
  });

  it("providers get shows the secret header's hint, never its value", async () => {
    const shown = ok(await run(["providers", "get", "azure"]));
    expect(shown.stdout).toContain("x-title=Parley, api-key=(secret, ends in 2c3d)");
    const json = jsonOf(ok(await run(["providers", "get", "azure", "--json"])));
    expect(json.provider.headers).toEqual({ "x-title": "Parley" });
    expect(json.provider.secretHeaders).toEqual([{ name: "api-key", valueSet: true, valueHint: "2c3d" }]);
  });

  it("a changed value plans an update of headers, showing names only", async () => {
    const planned = ok(await run(["apply", "-f", path], { AZURE_KEY: ROTATED_KEY }));
    expect(planned.stdout).toContain(
      "  ~ provider azure\n      headers: api-key, x-title -> api-key, x-title (values not shown)\n",
    );
    const json = jsonOf(ok(await run(["providers", "get", "azure", "--json"])));
    expect(json.provider.secretHeaders[0].valueHint).toBe("6g7h");
    const settled = ok(await run(["apply", "-f", path], { AZURE_KEY: ROTATED_KEY }));
    expect(settled.stdout).toContain("No changes");
  });

  it("no output carried a secret value", () => {
    const everything = outputs.join("\n");
    for (const secret of [AZURE_KEY, ROTATED_KEY]) expect(everything).not.toContain(secret.slice(0, 16));
  });
});

describe("health-check interval floor in the CLI", () => {
  it("providers create refuses an interval under 10 s and says so", async () => {
    const refused = await run([
      "providers",
      "create",
      "fast",
      "--kind",
      "openai",
      "--base-url",
      "https://fast.example/v1",
      "--health-check-interval",
      "1ms",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "invalid_argument: provider.health_check_interval: must be at least 10s (0 turns it off), got 0.001s",
    );
  });
});
