// A provider's own request limits as the CLI and setup files take them: the server's bounds
// (see RequestLimits in provider.proto), checked locally so a typo fails before any call.

/** Bounds of limits.max_body_bytes, in bytes: 1 KiB to 1 GiB. */
export const MAX_BODY_BYTES_RANGE = { min: 1024, max: 1024 ** 3 } as const;

/** Bounds of limits.max_messages. */
export const MAX_MESSAGES_RANGE = { min: 1, max: 10_000_000 } as const;
