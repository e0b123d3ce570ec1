// The one in-memory shape of a server-sent event, shared by the decoder and the encoder.

/** A decoded or to-be-encoded server-sent event. */
export interface SseEvent {
  /** The `event:` field; absent means the default "message". */
  event?: string | undefined;
  /** The joined `data:` lines. */
  data: string;
  /** The `id:` field. */
  id?: string | undefined;
}
