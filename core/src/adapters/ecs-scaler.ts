import { DescribeServicesCommand, type ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import type { ScalerPort } from "../ports/scaler.ts";

/** The scaling port on ECS: the Fargate worker service's desired count. */
export const ecsScaler = (ecs: ECSClient, cluster: string, service: string): ScalerPort => ({
  async get() {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    const svc = out.services?.[0];
    return { desired: svc?.desiredCount ?? 0, running: svc?.runningCount ?? 0 };
  },
  async setDesired(count) {
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: count }));
  },
});
