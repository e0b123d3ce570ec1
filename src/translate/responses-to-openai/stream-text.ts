// The text items of a translated stream: reasoning deltas as a reasoning item's summary,
// content and refusal deltas as the parts of a message item. An item opens on its first
// visible delta, never for whitespace alone, and one kind of text closes the other.
import { type ItemStatus, messageItem, outputTextPart, reasoningItem, refusalPart } from "./items.js";
import type { OpenItem, Out, StreamOutput } from "./stream-output.js";
import type { ResponsesOutputPart } from "./wire.js";

/** The kinds of text an upstream delta carries. */
export type TextKind = "output_text" | "refusal" | "reasoning";

interface OpenMessage {
  id: string;
  outputIndex: number;
  parts: ResponsesOutputPart[];
  part: { kind: "output_text" | "refusal"; text: string } | undefined;
}

interface OpenReasoning {
  id: string;
  outputIndex: number;
  text: string;
}

/** Writes the reasoning and message items of one stream. */
export class TextItems {
  private message: OpenMessage | undefined;
  private reasoning: OpenReasoning | undefined;
  /** Whitespace that may begin a text not opened yet. */
  private pending: { kind: TextKind; text: string } | undefined;

  constructor(private readonly output: StreamOutput) {}

  /** Appends a delta of one kind, opening its item or part first when needed. */
  append(out: Out, kind: TextKind, text: string): void {
    if (this.openKind() !== kind) {
      const buffered = (this.pending?.kind === kind ? this.pending.text : "") + text;
      if (buffered.trim() === "") {
        this.pending = { kind, text: buffered };
        return;
      }
      this.pending = undefined;
      if (kind === "reasoning") this.openReasoning(out);
      else this.openPart(out, kind);
      text = buffered;
    }
    if (kind === "reasoning") this.reasoningDelta(out, text);
    else this.messageDelta(out, kind, text);
  }

  /** Finishes whatever text is open (another item starts) and forgets buffered whitespace. */
  closeAll(out: Out): void {
    this.pending = undefined;
    this.closeReasoning(out, "completed");
    this.closeMessage(out, "completed");
  }

  /** The items still open, for the end of the turn. */
  openItems(): OpenItem[] {
    this.pending = undefined;
    const open: OpenItem[] = [];
    const { reasoning, message } = this;
    if (reasoning)
      open.push({ outputIndex: reasoning.outputIndex, close: (out, s) => this.closeReasoning(out, s) });
    if (message)
      open.push({ outputIndex: message.outputIndex, close: (out, s) => this.closeMessage(out, s) });
    return open;
  }

  private openKind(): TextKind | undefined {
    if (this.reasoning) return "reasoning";
    return this.message?.part?.kind;
  }

  private openReasoning(out: Out): void {
    this.closeMessage(out, "completed");
    const reasoning: OpenReasoning = {
      id: this.output.ids.item("rs"),
      outputIndex: this.output.newOutputIndex(),
      text: "",
    };
    this.reasoning = reasoning;
    out.push({
      type: "response.output_item.added",
      sequence_number: this.output.next(),
      output_index: reasoning.outputIndex,
      item: reasoningItem(reasoning.id, ""),
    });
    out.push({
      type: "response.reasoning_summary_part.added",
      sequence_number: this.output.next(),
      item_id: reasoning.id,
      output_index: reasoning.outputIndex,
      summary_index: 0,
      part: { type: "summary_text", text: "" },
    });
  }

  private reasoningDelta(out: Out, delta: string): void {
    const reasoning = this.reasoning;
    if (!reasoning) return;
    reasoning.text += delta;
    out.push({
      type: "response.reasoning_summary_text.delta",
      sequence_number: this.output.next(),
      item_id: reasoning.id,
      output_index: reasoning.outputIndex,
      summary_index: 0,
      delta,
    });
  }

  private closeReasoning(out: Out, status: ItemStatus): void {
    const reasoning = this.reasoning;
    if (!reasoning) return;
    this.reasoning = undefined;
    const where = { item_id: reasoning.id, output_index: reasoning.outputIndex, summary_index: 0 };
    out.push({
      type: "response.reasoning_summary_text.done",
      sequence_number: this.output.next(),
      ...where,
      text: reasoning.text,
    });
    out.push({
      type: "response.reasoning_summary_part.done",
      sequence_number: this.output.next(),
      ...where,
      part: { type: "summary_text", text: reasoning.text },
    });
    const item = reasoningItem(reasoning.id, reasoning.text);
    // The Responses API marks only cut reasoning items; a finished one carries no status.
    if (status === "incomplete") item.status = "incomplete";
    this.output.itemDone(out, reasoning.outputIndex, item);
  }

  private openPart(out: Out, kind: "output_text" | "refusal"): void {
    this.closeReasoning(out, "completed");
    if (!this.message) {
      this.message = {
        id: this.output.ids.item("msg"),
        outputIndex: this.output.newOutputIndex(),
        parts: [],
        part: undefined,
      };
      out.push({
        type: "response.output_item.added",
        sequence_number: this.output.next(),
        output_index: this.message.outputIndex,
        item: messageItem(this.message.id, [], "in_progress"),
      });
    }
    const message = this.message;
    this.closePart(out);
    message.part = { kind, text: "" };
    out.push({
      type: "response.content_part.added",
      sequence_number: this.output.next(),
      item_id: message.id,
      output_index: message.outputIndex,
      content_index: message.parts.length,
      part: kind === "refusal" ? refusalPart("") : outputTextPart(""),
    });
  }

  private messageDelta(out: Out, kind: "output_text" | "refusal", delta: string): void {
    const message = this.message;
    if (!message?.part) return;
    message.part.text += delta;
    const where = {
      sequence_number: this.output.next(),
      item_id: message.id,
      output_index: message.outputIndex,
      content_index: message.parts.length,
      delta,
    };
    if (kind === "refusal") out.push({ type: "response.refusal.delta", ...where });
    else out.push({ type: "response.output_text.delta", ...where, logprobs: [] });
  }

  private closePart(out: Out): void {
    const message = this.message;
    const part = message?.part;
    if (!message || !part) return;
    const where = {
      item_id: message.id,
      output_index: message.outputIndex,
      content_index: message.parts.length,
    };
    const final = part.kind === "refusal" ? refusalPart(part.text) : outputTextPart(part.text);
    if (part.kind === "refusal") {
      out.push({
        type: "response.refusal.done",
        sequence_number: this.output.next(),
        ...where,
        refusal: part.text,
      });
    } else {
      out.push({
        type: "response.output_text.done",
        sequence_number: this.output.next(),
        ...where,
        text: part.text,
        logprobs: [],
      });
    }
    out.push({
      type: "response.content_part.done",
      sequence_number: this.output.next(),
      ...where,
      part: final,
    });
    message.parts.push(final);
    message.part = undefined;
  }

  private closeMessage(out: Out, status: ItemStatus): void {
    const message = this.message;
    if (!message) return;
    this.closePart(out);
    this.message = undefined;
    this.output.itemDone(out, message.outputIndex, messageItem(message.id, [...message.parts], status));
  }
}
