// POST /v1/messages/count_tokens: forwarded to an Anthropic provider, counted locally
// for an OpenAI-compatible one (marked as an estimate). Claude Code sends about fifteen
// of these at once, so they are never retried and never fall over to another target.

import type { Route } from "../routing/types.js";
import { validateMessagesRequest } from "../schemas/anthropic/index.js";
import { redactorFor } from "../upstream/provider-secrets.js";
import { passthroughResponseHeaders, UPSTREAM_PATHS, upstreamHeaders } from "../upstream/provider-wire.js";
import { sendUpstream } from "../upstream/send.js";
import { type AttemptDeps, splicedBody, statusError } from "./attempt.js";
import type { Exchange } from "./exchange.js";
import { sendJson } from "./http-io.js";
import { estimateInputTokens } from "./token-count.js";

/** Answers a count_tokens request for the route's first target. */
export async function countTokens(ex: Exchange, route: Route, deps: AttemptDeps): Promise<void> {
  const target = route.targets[0]!;
  ex.log.attempts = 1;
  ex.log.provider = target.provider.id;
  ex.log.dialect_out = target.provider.kind;
  // Every answer names who gave it (DESIGN §4), counts included.
  Object.assign(ex.responseHeaders, { "x-parley-provider": target.provider.id, "x-parley-attempts": "1" });
  if (target.provider.kind === "openai") {
    // Counting walks the body the way translation does: the same shape check comes first.
    validateMessagesRequest(ex.body.parsed);
    const inputTokens = await estimateInputTokens(ex.body.parsed, { signal: ex.signal });
    ex.log.input_tokens = inputTokens;
    return sendJson(
      ex.req,
      ex.res,
      200,
      { input_tokens: inputTokens, estimate: true },
      {
        ...ex.responseHeaders,
        "x-parley-token-count": "estimate",
      },
    );
  }
  const body = splicedBody(ex, target, deps.logger);
  const response = await sendUpstream(deps.pools, {
    provider: target.provider,
    path: UPSTREAM_PATHS.anthropic.countTokens,
    query: ex.query,
    headers: upstreamHeaders({
      provider: target.provider,
      clientHeaders: ex.req.headers,
      passthrough: true,
      stream: false,
    }),
    body,
    signal: ex.signal,
    stream: false,
  });
  ex.log.status = response.status;
  const redactor = redactorFor(target.provider, ex.req.headers);
  if (response.status >= 400) throw await statusError(ex, target, response, redactor, undefined);
  const text = redactor.text(await response.body.text());
  return sendJson(ex.req, ex.res, response.status, text, {
    ...ex.responseHeaders,
    ...passthroughResponseHeaders(response.headers),
  });
}
