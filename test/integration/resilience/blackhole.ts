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
  process.stdout.write(server.address().port + "\\n");
  // Blocked for good: the kernel queues connections, nothing accepts them.
  setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 20);
});`;

/** Whether a connection to `port` completes within `ms`; the socket is kept to hold its queue slot. */
function fills(port: number, ms: number, held: Socket[]): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    held.push(socket);
    const timer = setTimeout(() => resolve(false), ms);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.once("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
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
  await new Promise((resolve) => setTimeout(resolve, 100));
  const held: Socket[] = [];
  // The queue holds backlog + 1 connections; a few more than that is ample on any kernel.
  for (let i = 0; i < 8 && (await fills(port, 300, held)); i++);
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      for (const socket of held) socket.destroy();
      process.off("exit", kill);
      kill();
    },
  };
}
