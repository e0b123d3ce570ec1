// An address where connecting times out, without a network: a child process listens with a
// backlog of one and then blocks its event loop, so it never accepts; once its accept queue is
// full, Linux drops further SYNs and a connect attempt hangs until the caller's connect timeout.
import { type ChildProcess, spawn } from "node:child_process";
import { connect, type Socket } from "node:net";

/** A listener that takes no connections. */
export interface Blackhole {
  url: string;
  close(): void;
}

const LISTENER = `
const server = require("node:net").createServer();
server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
  require("node:fs").writeSync(1, server.address().port + "\\n");
  // Blocked for good, before any connection could be accepted: the kernel queues them instead.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});`;

/** More connections than the accept queue of a backlog-1 listener holds (2 on Linux). */
const FILLERS = 6;
/** How long a filler may take to connect on a loaded machine; one still pending then is SYN-dropped. */
const FILL_WAIT_MS = 1_000;

/** Opens `count` connections at once; resolves after `ms` with how many connected, the sockets kept. */
async function fill(port: number, count: number, ms: number, held: Socket[]): Promise<number> {
  let connected = 0;
  for (let i = 0; i < count; i++) {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => connected++);
    socket.on("error", () => {}); // destroyed at close
    held.push(socket);
  }
  await new Promise((resolve) => setTimeout(resolve, ms));
  return connected;
}

/** Starts a blackhole and fills its accept queue, so the next connect to it times out. */
export async function startBlackhole(): Promise<Blackhole> {
  const child: ChildProcess = spawn(process.execPath, ["-e", LISTENER], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  // Blocked for good, it would outlive a test run that ends without close().
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(Number(String(chunk).trim())));
    child.once("exit", (code) => reject(new Error(`the blackhole listener exited with ${code}`)));
  });
  const held: Socket[] = [];
  const close = () => {
    for (const socket of held) socket.destroy();
    process.off("exit", kill);
    kill();
  };
  if ((await fill(port, FILLERS, FILL_WAIT_MS, held)) === FILLERS) {
    close();
    throw new Error(
      "every connection to the blackhole was queued: this kernel does not drop SYNs on a full queue",
    );
  }
  return { url: `http://127.0.0.1:${port}`, close };
}
