// The tool-call items of a translated stream. Fragments are reassembled per call (several in
// parallel, keyed by index or id, edges 1-2); each call's item opens once its name is known,
// streams its arguments as deltas, and closes when the upstream's turn ends.
import { ToolCallAssembler, type ToolCallState } from "../anthropic-to-openai/stream-tool-calls.js";
import type { CallIds } from "./ids.js";
import { callItem, customInput, type ItemStatus } from "./items.js";
import type { OpenItem, Out, StreamOutput } from "./stream-output.js";
import type { ClientToolName, ResponsesToolNames } from "./tool-names.js";
import type { OpenAIToolCallDelta } from "./wire.js";

interface OpenCall {
  ids: CallIds;
  outputIndex: number;
  tool: ClientToolName;
  /** Characters of the arguments already sent as deltas. */
  sent: number;
}

/** Writes the function and custom tool call items of one stream. */
export class CallItems {
  private readonly assembler = new ToolCallAssembler();
  private readonly items = new Map<ToolCallState, OpenCall>();

  constructor(
    private readonly output: StreamOutput,
    private readonly toolNames: ResponsesToolNames,
  ) {}

  /** Adds one fragment; `beforeOpen` runs when it opens a new item (to finish the text before it). */
  add(out: Out, delta: OpenAIToolCallDelta, beforeOpen: () => void): void {
    const { call } = this.assembler.add(delta);
    let item = this.items.get(call);
    if (!item) {
      // A call is shown once its name is known: its item carries the name from the start.
      if (call.name === undefined) return;
      beforeOpen();
      item = this.open(out, call);
    }
    this.sendArguments(out, item, call);
  }

  /** The items still open at the end of the turn; calls whose name never came are opened now rather than lost. */
  openItems(out: Out, beforeOpen: () => void): OpenItem[] {
    for (const call of this.assembler.all()) {
      if (this.items.has(call)) continue;
      beforeOpen();
      this.open(out, call);
    }
    return [...this.items].map(([call, item]) => ({
      outputIndex: item.outputIndex,
      close: (o: Out, status: ItemStatus) => this.close(o, item, call, status),
    }));
  }

  private open(out: Out, call: ToolCallState): OpenCall {
    const tool = this.toolNames.toClient(call.name ?? "");
    const item: OpenCall = {
      ids: this.output.ids.call(call.upstreamId, call.ordinal, tool.kind ?? "function"),
      outputIndex: this.output.newOutputIndex(),
      tool,
      sent: 0,
    };
    this.items.set(call, item);
    out.push({
      type: "response.output_item.added",
      sequence_number: this.output.next(),
      output_index: item.outputIndex,
      item: callItem(item.ids, tool, "", "in_progress"),
    });
    return item;
  }

  private sendArguments(out: Out, item: OpenCall, call: ToolCallState): void {
    // A custom tool's input is the `input` field of the JSON: it can only be read once whole.
    if (item.tool.kind === "custom") return;
    // Nothing is sent while the arguments are only whitespace: "{}" may still replace them.
    if (call.args.length <= item.sent || call.args.trim() === "") return;
    out.push({
      type: "response.function_call_arguments.delta",
      sequence_number: this.output.next(),
      item_id: item.ids.id,
      output_index: item.outputIndex,
      delta: call.args.slice(item.sent),
    });
    item.sent = call.args.length;
  }

  private close(out: Out, item: OpenCall, call: ToolCallState, status: ItemStatus): void {
    const where = { item_id: item.ids.id, output_index: item.outputIndex };
    if (item.tool.kind === "custom") {
      const input = customInput(call.args);
      if (input !== "") {
        out.push({
          type: "response.custom_tool_call_input.delta",
          sequence_number: this.output.next(),
          ...where,
          delta: input,
        });
      }
      out.push({
        type: "response.custom_tool_call_input.done",
        sequence_number: this.output.next(),
        ...where,
        input,
      });
      this.output.itemDone(out, item.outputIndex, callItem(item.ids, item.tool, input, status));
      return;
    }
    // Empty or missing arguments mean no arguments: "{}" (edge 3).
    const args = call.args.trim() === "" ? "{}" : call.args;
    if (item.sent === 0) {
      out.push({
        type: "response.function_call_arguments.delta",
        sequence_number: this.output.next(),
        ...where,
        delta: args,
      });
    }
    out.push({
      type: "response.function_call_arguments.done",
      sequence_number: this.output.next(),
      ...where,
      name: item.tool.name,
      arguments: args,
    });
    this.output.itemDone(out, item.outputIndex, callItem(item.ids, item.tool, args, status));
  }
}
