// The real Claude Code CLI meeting an over-long prompt on an OpenAI-compatible provider:
// vLLM's 400 must reach it in Anthropic's wording, which it recognises as "prompt too long"
// (the error it compacts the conversation on), counts included.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRun, runClaudeCode } from "../helpers/claude-code.js";
import { json, startMockUpstream } from "../helpers/mock-upstream.js";
import { startTestParley } from "../helpers/parley.js";

const TEST_TIMEOUT_MS = 180_000;

/** vLLM's answer to a request over the model's window (older vLLM's flat error shape). */
const VLLM_TOO_LONG = {
  object: "error",
  message:
    "This model's maximum context length is 32768 tokens. However, you requested 48598 tokens (48000 in the messages, 598 in the completion). Please reduce the length of the messages or completion.",
  type: "BadRequestError",
  param: null,
  code: 400,
};

describe("Claude Code and a context-length error through Parley", () => {
  let workDir: string;
  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), "parley-claude-ctx-"));
  });
  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it(
    "recognises vLLM's refusal as prompt too long and reads both counts",
    async () => {
      const upstream = await startMockUpstream((_req, res) => json(res, 400, VLLM_TOO_LONG));
      const parley = await startTestParley({
        PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
        PARLEY_OPENAI_API_KEY: "sk-provider-e2e",
        PARLEY_MODEL_MAP: "*=openai/qwen3-32b",
        PARLEY_LOG_LEVEL: "warn",
      });
      try {
        const run = await runClaudeCode({ baseUrl: parley.url, cwd: workDir, prompt: "hello" });
        expect(run.result, describeRun(run)).toMatchObject({
          is_error: true,
          api_error_status: 400,
          terminal_reason: "prompt_too_long",
        });
        // Its own account of the overflow, built from the two counts it parsed.
        expect(run.result?.result, describeRun(run)).toMatch(/^Prompt is too long\b/);
        expect(run.result?.result).toContain("48598");
        expect(run.result?.result).toContain("32768");
      } finally {
        await parley.close();
        await upstream.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
