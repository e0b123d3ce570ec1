// The proxies a user might pick instead of Parley, installed from the npm registry into an ignored
// folder of their own (never dependencies of Parley) and started as their READMEs say: Portkey's
// gateway (OpenAI in, OpenAI out to a custom host) and claude-code-router (Anthropic in, OpenAI out).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, freePort, type ServerProcess, script, spawnServer, tempDir } from "./processes.js";
import type { Target } from "./targets.js";

/** Where the peers live: .tmp/ is git-ignored. */
const PEERS_DIR = script("../../.tmp/bench-peers");

const PORTKEY = { name: "@portkey-ai/gateway", version: "1.15.2" };
/** 2.0.0 is the last release that runs on Node 20. */
const CCR = { name: "@musistudio/claude-code-router", version: "2.0.0" };

const MANIFEST = {
  name: "parley-bench-peers",
  private: true,
  description: "Peer proxies the Parley bench measures; installed by bench/peers.ts.",
  dependencies: { [PORTKEY.name]: PORTKEY.version, [CCR.name]: CCR.version },
  // Portkey's streams stall on Node 20 with @hono/node-server 1.14 and later.
  overrides: { "@hono/node-server": "1.13.8" },
};

function installedVersion(name: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(PEERS_DIR, "node_modules", name, "package.json"), "utf8"));
    return (manifest as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Installs the peers unless the pinned versions are already there; resolves with why not, or undefined. */
export function installPeers(log: (line: string) => void): string | undefined {
  const wanted = JSON.stringify(MANIFEST, null, 2);
  const manifestPath = join(PEERS_DIR, "package.json");
  const current = existsSync(manifestPath) ? readFileSync(manifestPath, "utf8") : "";
  const ready = [PORTKEY, CCR].every((p) => installedVersion(p.name) === p.version);
  if (ready && current === wanted) return undefined;
  mkdirSync(PEERS_DIR, { recursive: true });
  writeFileSync(manifestPath, wanted);
  log(`installing ${PORTKEY.name}@${PORTKEY.version} and ${CCR.name}@${CCR.version} into ${PEERS_DIR}`);
  // Under `npm run bench`, npm's own npm_* variables (the outer project's prefix among them) would
  // steer this install; it must see only its own folder.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")),
  );
  const npm = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: PEERS_DIR,
    env,
    encoding: "utf8",
    timeout: 300_000,
  });
  if (npm.status !== 0) {
    const why = npm.error?.message ?? `${npm.stderr}`.trim().split("\n").slice(-5).join(" / ");
    return `npm install failed (${npm.status ?? npm.signal}): ${why}`;
  }
  const missing = [PORTKEY, CCR].filter((p) => installedVersion(p.name) !== p.version);
  return missing.length === 0 ? undefined : `not installed: ${missing.map((p) => p.name).join(", ")}`;
}

/** A peer running, and the target that drives it. */
export interface PeerProcess {
  server: ServerProcess;
  target: Target;
}

/** Portkey's gateway: `build/start-server.js --port=N --headless`; routing comes in headers. */
export async function startPortkey(mockUrl: string): Promise<PeerProcess> {
  const dir = tempDir("bench-portkey-");
  const port = await freePort();
  // It binds every interface (it has no host option); the bench only ever talks to 127.0.0.1.
  const url = `http://127.0.0.1:${port}`;
  const server = await spawnServer({
    label: "portkey",
    args: [
      join(PEERS_DIR, "node_modules", PORTKEY.name, "build/start-server.js"),
      `--port=${port}`,
      "--headless",
    ],
    env: cleanEnv(),
    cwd: dir,
    logFile: join(dir, "portkey.log"),
    url,
    readyUrl: url,
  });
  return {
    server,
    target: {
      id: "portkey",
      label: `Portkey ${PORTKEY.version}`,
      role: "proxy",
      dialect: "openai",
      origin: url,
      pid: server.pid,
      apiKey: "bench-upstream-key",
      headers: { "x-portkey-provider": "openai", "x-portkey-custom-host": `${mockUrl}/v1` },
    },
  };
}

/**
 * claude-code-router: `dist/cli.js start` runs the server in the foreground, configured by
 * `~/.claude-code-router/config.json` (an isolated HOME here); a `provider,model` model name routes
 * straight to that model, so the mock still sees the delay it is asked for.
 */
export async function startClaudeCodeRouter(mockUrl: string): Promise<PeerProcess> {
  const home = tempDir("bench-ccr-");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const apiKey = "bench-ccr-key";
  mkdirSync(join(home, ".claude-code-router"), { recursive: true });
  const config = {
    LOG: false,
    HOST: "127.0.0.1",
    PORT: port,
    APIKEY: apiKey,
    Providers: [
      {
        name: "mock",
        api_base_url: `${mockUrl}/v1/chat/completions`,
        api_key: "bench-upstream-key",
        models: ["bench-d0"],
      },
    ],
    Router: { default: "mock,bench-d0" },
  };
  writeFileSync(join(home, ".claude-code-router", "config.json"), JSON.stringify(config, null, 2));
  const server = await spawnServer({
    label: "claude-code-router",
    args: [join(PEERS_DIR, "node_modules", CCR.name, "dist/cli.js"), "start"],
    env: { ...cleanEnv(), HOME: home, USERPROFILE: home },
    cwd: home,
    logFile: join(home, "ccr.log"),
    url,
    readyUrl: url,
  });
  return {
    server,
    target: {
      id: "claude-code-router",
      label: `claude-code-router ${CCR.version}`,
      role: "proxy",
      dialect: "anthropic",
      origin: url,
      pid: server.pid,
      apiKey,
      model: (model) => `mock,${model}`,
    },
  };
}
