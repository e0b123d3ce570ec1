// `parley providers` and `parley apply` with a provider's own request limits, as
// subprocesses against a real admin API: --max-body-bytes and --max-messages set them on
// create, `get` shows them, update changes only the flag given and `none` clears it, and a
// setup file's limits are applied, planned as nothing on a second run, and changed alone.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminUnderTest, type CliRun, cliFor, jsonOf, startAdmin } from "./cli-harness.js";

let admin: AdminUnderTest;
let parley: ReturnType<typeof cliFor>;
let dir: string;

beforeAll(async () => {
  admin = await startAdmin();
  parley = cliFor(admin);
  dir = mkdtempSync(join(tmpdir(), "parley-limits-"));
});
afterAll(async () => {
  await admin?.close();
  rmSync(dir, { recursive: true, force: true });
});

function ok(run: CliRun): CliRun {
  expect(run.stderr, run.stdout).toBe("");
  expect(run.code).toBe(0);
  return run;
}

const create = (id: string, ...flags: string[]) =>
  parley(["providers", "create", id, "--kind", "openai", "--base-url", "https://llm.internal/v1", ...flags]);

async function limitsOf(id: string) {
  const { provider } = jsonOf(ok(await parley(["providers", "get", id, "--json"])));
  return provider.limits;
}

describe("parley providers: --max-body-bytes and --max-messages", () => {
  it("create sets both, get shows them, --json carries them", async () => {
    const created = jsonOf(
      ok(await create("small", "--max-body-bytes", "64KiB", "--max-messages", "1000", "--json")),
    );
    expect(created.provider.limits).toEqual({ maxBodyBytes: 65_536, maxMessages: 1000 });
    const fields = ok(await parley(["providers", "get", "small"])).stdout;
    expect(fields).toMatch(/^max_body_bytes\s+64KiB$/m);
    expect(fields).toMatch(/^max_messages\s+1000$/m);
  });

  it("unset, get says there is no limit of the provider's own", async () => {
    ok(await create("unlimited"));
    const fields = ok(await parley(["providers", "get", "unlimited"])).stdout;
    expect(fields).toMatch(/^max_body_bytes\s+none$/m);
    expect(fields).toMatch(/^max_messages\s+none$/m);
    expect(await limitsOf("unlimited")).toBeUndefined();
  });

  it("update changes only the flag given; none clears it", async () => {
    ok(await create("tuned", "--max-body-bytes", "5000", "--max-messages", "10"));
    ok(await parley(["providers", "update", "tuned", "--max-messages", "20"]));
    expect(await limitsOf("tuned")).toEqual({ maxBodyBytes: 5000, maxMessages: 20 });
    ok(await parley(["providers", "update", "tuned", "--max-body-bytes", "none"]));
    expect(await limitsOf("tuned")).toEqual({ maxMessages: 20 });
    ok(await parley(["providers", "update", "tuned", "--max-messages", "none"]));
    expect(await limitsOf("tuned")).toBeUndefined();
  });

  it.each([
    [
      "--max-body-bytes",
      "32MB",
      'parley: --max-body-bytes: expected a size from 1KiB to 1GiB such as 4096, 64KiB or 32MiB (or none), got "32MB"\n',
    ],
    [
      "--max-body-bytes",
      "1000",
      'parley: --max-body-bytes: expected a size from 1KiB to 1GiB such as 4096, 64KiB or 32MiB (or none), got "1000"\n',
    ],
    ["--max-messages", "0", 'parley: --max-messages: expected a whole number 1-10000000, got "0"\n'],
  ])("%s %s is a usage error, before any call", async (flag, value, message) => {
    const run = await parley(["providers", "update", "small", flag, value]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(message);
  });
});

describe("parley apply: limits", () => {
  const setup = (maxMessages: number) => `
providers:
  - id: local
    kind: openai
    base_url: http://10.0.0.5:8000/v1
    limits:
      max_body_bytes: 4MiB
      max_messages: ${maxMessages}
  - id: hosted
    kind: openai
    base_url: https://api.openai.com/v1
    limits: { max_body_bytes: 33554432 }
`;

  it("are applied, a second run plans nothing, and a change updates the one limit", async () => {
    const path = join(dir, "limits.yaml");
    writeFileSync(path, setup(1000));
    ok(await parley(["apply", "-f", path]));
    expect(await limitsOf("local")).toEqual({ maxBodyBytes: 4 * 1024 * 1024, maxMessages: 1000 });
    expect(await limitsOf("hosted")).toEqual({ maxBodyBytes: 32 * 1024 * 1024 });
    expect(ok(await parley(["apply", "-f", path])).stdout).toBe(
      `No changes: the admin state already matches ${path}.\n`,
    );

    writeFileSync(path, setup(2000));
    const run = ok(await parley(["apply", "-f", path]));
    expect(run.stdout).toContain("0 to create, 1 to update, 0 to delete");
    expect(run.stdout).toContain("  ~ provider local\n      limits: max_messages 1000 -> 2000\n");
    expect(await limitsOf("local")).toEqual({ maxBodyBytes: 4 * 1024 * 1024, maxMessages: 2000 });
    expect(jsonOf(ok(await parley(["apply", "-f", path, "--json"]))).plan).toEqual([]);
  });

  it("a limit out of range is refused before anything is written, naming the field", async () => {
    const path = join(dir, "bad.yaml");
    writeFileSync(
      path,
      "providers:\n  - id: bad\n    kind: openai\n    base_url: http://x.test/v1\n    limits: { max_messages: 0 }\n",
    );
    const run = await parley(["apply", "-f", path]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      "providers[0].limits.max_messages: expected a whole number 1-10000000, got 0",
    );
    const { providers } = jsonOf(ok(await parley(["providers", "list", "--json"])));
    expect(providers.map((p: { id: string }) => p.id)).not.toContain("bad");
  });
});
