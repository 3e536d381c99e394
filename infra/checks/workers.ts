import { PRIORITIES } from "@agentvine/core/resources";
import type { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { workerConfig } from "../../workers/src/config.ts";
import { prefixOf, resourcesOf, workerEnvironment } from "../synth.ts";
import { backlogSteps } from "../workers.ts";

/** Test support (run by stacks.test.ts on its synth of the "test" stage): the Fargate workers. */
export const workerChecks = (t: () => Record<string, Template>) => {
  const prefix = prefixOf("test");
  describe("workers", () => {
    const workers = () => t().Workers as Template;

    it("runs a Fargate service without a load balancer, in public subnets, without a NAT gateway", () => {
      workers().hasResourceProperties("AWS::ECS::Service", {
        LaunchType: "FARGATE",
        ServiceName: `${prefix}-worker`,
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: "ENABLED" } },
      });
      const [, , service] = resourcesOf({ w: workers() }, "AWS::ECS::Service")[0] ?? [];
      expect(service.Properties.LoadBalancers).toBeUndefined();
      // A deploy leaves the count to autoscaling and the API's scaling endpoint.
      expect(service.Properties.DesiredCount).toBeUndefined();
      for (const type of [
        "AWS::EC2::NatGateway",
        "AWS::EC2::EIP",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
      ]) {
        expect(resourcesOf(t(), type)).toEqual([]);
      }
    });

    it("admits nothing in and lets only HTTPS out", () => {
      const [, , sg] = resourcesOf({ w: workers() }, "AWS::EC2::SecurityGroup")[0] ?? [];
      expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
      expect(sg.Properties.SecurityGroupEgress).toEqual([
        expect.objectContaining({ CidrIp: "0.0.0.0/0", IpProtocol: "tcp", FromPort: 443, ToPort: 443 }),
      ]);
    });

    it("scales between 0 and the maximum on the messages outstanding in the three queues", () => {
      workers().hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", {
        MinCapacity: 0,
        MaxCapacity: 10,
        ScalableDimension: "ecs:service:DesiredCount",
      });
      const policies = workers().findResources("AWS::ApplicationAutoScaling::ScalingPolicy");
      expect(
        Object.values(policies).map((p) => p.Properties.StepScalingPolicyConfiguration.AdjustmentType),
      ).toEqual(["ExactCapacity", "ExactCapacity"]);
      const alarms = resourcesOf({ w: workers() }, "AWS::CloudWatch::Alarm");
      expect(alarms).toHaveLength(2);
      // "Idle" scales to the minimum after 5 empty minutes (missing data counts as empty); "busy" acts at once.
      const thresholds = alarms.map(([, , a]) => {
        const { ComparisonOperator, Threshold, EvaluationPeriods, TreatMissingData } = a.Properties;
        return { ComparisonOperator, Threshold, EvaluationPeriods, TreatMissingData };
      });
      expect(thresholds).toEqual(
        expect.arrayContaining([
          {
            ComparisonOperator: "LessThanOrEqualToThreshold",
            Threshold: 0.25,
            EvaluationPeriods: 5,
            TreatMissingData: "breaching",
          },
          {
            ComparisonOperator: "GreaterThanOrEqualToThreshold",
            Threshold: 0.75,
            EvaluationPeriods: 1,
            TreatMissingData: "notBreaching",
          },
        ]),
      );
      for (const [, , alarm] of alarms) {
        const metrics = alarm.Properties.Metrics as {
          Id: string;
          Expression?: string;
          MetricStat?: { Metric: { MetricName: string; Dimensions: unknown } };
        }[];
        const stats = metrics.filter((m) => m.MetricStat);
        expect(stats.map((m) => m.MetricStat?.Metric.MetricName).sort()).toEqual(
          PRIORITIES.flatMap(() => [
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesVisible",
          ]).sort(),
        );
        for (const p of PRIORITIES) {
          expect(JSON.stringify(stats.map((m) => m.MetricStat?.Metric.Dimensions))).toContain(
            `Queues:ExportsOutputFnGetAtt${p}Queue`,
          );
        }
        expect(metrics.find((m) => m.Expression)?.Expression).toBe(stats.map((m) => m.Id).join(" + "));
        // Each alarm drives one of the two step policies.
        expect(Object.keys(policies)).toContain(alarm.Properties.AlarmActions[0].Ref);
      }
    });

    it("steps to exactly ceil(outstanding / per worker) workers, capped at the maximum", () => {
      const upper = Object.values(workers().findResources("AWS::ApplicationAutoScaling::ScalingPolicy"))
        .map((p) => p.Properties.StepScalingPolicyConfiguration.StepAdjustments)
        .find((steps) => steps.length > 1);
      expect(upper.at(-1)).toEqual({ MetricIntervalLowerBound: 9, ScalingAdjustment: 10 });
      const steps = backlogSteps(100, 2);
      expect(steps).toHaveLength(40);
      expect(steps.at(-1)).toEqual({ lower: 98 * 2 + 0.75, change: 100 });
      expect(backlogSteps(3, 2)).toEqual([
        { upper: 0.25, change: 0 },
        { lower: 0.75, change: 1 },
        { lower: 2.75, change: 2 },
        { lower: 4.75, change: 3 },
      ]);
    });

    it("builds the image from workers/Dockerfile and hands the worker its environment and secrets", () => {
      const [, , task] = resourcesOf({ w: workers() }, "AWS::ECS::TaskDefinition")[0] ?? [];
      const [container] = task.Properties.ContainerDefinitions;
      expect(task.Properties.RequiresCompatibilities).toEqual(["FARGATE"]);
      expect(container.StopTimeout).toBe(120);
      const secrets = Object.fromEntries(
        container.Secrets.map((s: { Name: string; ValueFrom: unknown }) => [
          s.Name,
          JSON.stringify(s.ValueFrom),
        ]),
      );
      expect(Object.keys(secrets).sort()).toEqual([
        "AGENTVINE_GIT_TOKEN",
        "AGENTVINE_WORKER_ENROLMENT_TOKEN",
        "ANTHROPIC_API_KEY",
      ]);
      expect(secrets.ANTHROPIC_API_KEY).toContain(
        ":parameter/sst/agentvine/test/Secret/ANTHROPIC_API_KEY/value",
      );
      expect(secrets.AGENTVINE_GIT_TOKEN).toContain(":parameter/sst/agentvine/test/Secret/GIT_TOKEN/value");
      expect(secrets.AGENTVINE_WORKER_ENROLMENT_TOKEN).toContain(
        ":parameter/sst/agentvine/test/Secret/WORKER_ENROLMENT_TOKEN/value",
      );
      // The worker's own parser accepts what the task definition gives it.
      const config = workerConfig(workerEnvironment(t()));
      expect(Object.keys(config.queueUrls).sort()).toEqual([...PRIORITIES].sort());
    });
  });
};
