// What the item writers of one translated stream share: the events' sequence numbers, the
// output indexes handed to new items, and the finished items a Response lists.
import type { ResponseIds } from "./ids.js";
import type { ItemStatus } from "./items.js";
import type { ResponsesOutputItem, ResponsesStreamEvent } from "./wire.js";

/** Events produced by one push into the translator. */
export type Out = ResponsesStreamEvent[];

/** An item still streaming, and how to finish it. */
export interface OpenItem {
  outputIndex: number;
  close(out: Out, status: ItemStatus): void;
}

/** The numbering and the finished items of one stream. */
export class StreamOutput {
  private sequence = 0;
  private outputIndexes = 0;
  private readonly finished: ResponsesOutputItem[] = [];

  constructor(readonly ids: ResponseIds) {}

  /** The sequence number of the next event: 0, 1, 2… */
  next(): number {
    return this.sequence++;
  }

  /** The output index of a new item. */
  newOutputIndex(): number {
    return this.outputIndexes++;
  }

  /** The output index of the newest item, -1 before any. */
  lastOutputIndex(): number {
    return this.outputIndexes - 1;
  }

  /** Records a finished item and emits its `response.output_item.done`. */
  itemDone(out: Out, outputIndex: number, item: ResponsesOutputItem): void {
    this.finished[outputIndex] = item;
    out.push({
      type: "response.output_item.done",
      sequence_number: this.next(),
      output_index: outputIndex,
      item,
    });
  }

  /** The finished items in output order. */
  items(): ResponsesOutputItem[] {
    return this.finished.filter((item) => item !== undefined);
  }
}
