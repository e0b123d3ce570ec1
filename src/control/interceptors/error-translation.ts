// The last stop for errors leaving a handler: anything that is not already a
// ConnectError becomes one (constraint failures get their proper code) and is logged
// without the parts that could hold SQL text or secrets.
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "../../core/logger.js";
import { describeError, toConnectError } from "../connect-errors.js";

/** Translates and logs errors of unary and streaming handlers. */
export function errorTranslation(logger: Logger): Interceptor {
  const translate = (error: unknown, procedure: string): ConnectError => {
    const translated = toConnectError(error);
    if (!(error instanceof ConnectError)) {
      const level = translated.code === Code.Internal ? "error" : "warn";
      logger[level]({ procedure, code: Code[translated.code], ...describeError(error) }, "admin RPC failed");
    } else {
      logger.debug(
        { procedure, code: Code[translated.code], error_message: error.rawMessage },
        "admin RPC refused",
      );
    }
    return translated;
  };
  return (next) => async (req) => {
    const procedure = `${req.service.typeName}/${req.method.name}`;
    let res: Awaited<ReturnType<typeof next>>;
    try {
      res = await next(req);
    } catch (error) {
      throw translate(error, procedure);
    }
    if (!res.stream) return res;
    const messages = res.message;
    return {
      ...res,
      message: (async function* () {
        try {
          yield* messages;
        } catch (error) {
          throw translate(error, procedure);
        }
      })(),
    };
  };
}
