/**
 * The local SQS engine: fauxqs (1.9.x; 2.x needs Node >= 22.5) in-process.
 * It binds 0.0.0.0; the endpoint we hand out is the loopback address.
 */
import { startFauxqs } from "fauxqs";

export interface SqsEngine {
  endpoint: string;
  stop(): Promise<void>;
}

export interface StartSqsOptions {
  /** 0 or undefined: a free port. */
  port?: number;
}

export async function startSqs(opts: StartSqsOptions = {}): Promise<SqsEngine> {
  // fauxqs falls back to FAUXQS_PORT / 4566 when no port is given: always pass one.
  const server = await startFauxqs({ port: opts.port ?? 0, logger: false });
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    stop() {
      stopping ??= server.stop();
      return stopping;
    },
  };
}
