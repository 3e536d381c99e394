import { PRIORITIES } from "@agentvine/core/resources";
import { Duration } from "aws-cdk-lib";
import { AdjustmentType, StepScalingPolicy } from "aws-cdk-lib/aws-applicationautoscaling";
import { type CfnAlarm, MathExpression, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { FlowLogDestination, Peer, Port, SecurityGroup, SubnetType, Vpc } from "aws-cdk-lib/aws-ec2";
import { Platform } from "aws-cdk-lib/aws-ecr-assets";
import {
  type CfnService,
  Cluster,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  Secret as EcsSecret,
  FargateService,
  FargateTaskDefinition,
  LogDrivers,
  OperatingSystemFamily,
} from "aws-cdk-lib/aws-ecs";
import { StringParameter } from "aws-cdk-lib/aws-ssm";
import { Config } from "sst/config.js";
import { type StackContext, use } from "sst/constructs";
import { QUEUE_ACCESS, queueStatements, queueUrlsJson } from "./access.ts";
import { Api } from "./api.ts";
import { logGroup } from "./logs.ts";
import { Queues } from "./queues.ts";
import { Secrets } from "./secrets.ts";
import { runtimeEnvironment, settings, workerNames } from "./settings.ts";
import { allowSnapshots, SNAPSHOT_ACCESS, Snapshots } from "./snapshots.ts";
import { suppress } from "./suppress.ts";

/** Minutes of empty queues before idle workers are stopped (scale to the minimum). */
const IDLE_MINUTES = 5;

/**
 * Step scaling with exact capacities: desired = ceil(outstanding / perWorker), capped at max.
 * The metric counts whole messages, so bounds sit between integers. The unused gap between
 * 0.25 and 0.75 splits the steps into two alarms: "idle" (nothing outstanding, scale to the
 * minimum) and "busy" (everything else, re-evaluated every minute). CDK allows 40 steps: above
 * 39 workers the levels are spread out.
 */
export const backlogSteps = (max: number, perWorker: number) => {
  const levels =
    max <= 39
      ? Array.from({ length: max }, (_, i) => i + 1)
      : Array.from({ length: 39 }, (_, i) => Math.ceil(((i + 1) * max) / 39));
  return [
    { upper: 0.25, change: 0 },
    ...levels.map((n, i) => ({ lower: (i === 0 ? 0 : (levels[i - 1] ?? 0)) * perWorker + 0.75, change: n })),
  ];
};

/**
 * The Fargate workers: no load balancer, public subnets with public IPs instead of a NAT
 * gateway (the security group admits nothing in and only HTTPS out), scaled on queue depth.
 */
export function Workers({ stack, app }: StackContext) {
  const s = settings(app);
  const names = workerNames(app);
  const { queues } = use(Queues);
  const { api } = use(Api);
  const secrets = use(Secrets);
  const { bucket: snapshots } = use(Snapshots);

  const vpc = new Vpc(stack, "Vpc", {
    availabilityZones: s.availabilityZones,
    natGateways: 0,
    subnetConfiguration: [{ name: "public", subnetType: SubnetType.PUBLIC, cidrMask: 24 }],
    // Accepted and rejected traffic of the workers' interfaces; nothing to log while none run.
    flowLogs: { all: { destination: FlowLogDestination.toCloudWatchLogs(logGroup(stack, "VpcFlowLogs")) } },
  });
  const securityGroup = new SecurityGroup(stack, "WorkerSecurityGroup", {
    vpc,
    allowAllOutbound: false,
    description: "AgentVine workers: nothing inbound, HTTPS outbound only",
  });
  securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "SQS, ECR, CloudWatch Logs, the AgentVine API");
  const cluster = new Cluster(stack, "Cluster", {
    vpc,
    clusterName: names.cluster,
    containerInsightsV2: ContainerInsights.ENABLED,
  });

  const taskDefinition = new FargateTaskDefinition(stack, "WorkerTask", {
    cpu: s.workers.cpu,
    memoryLimitMiB: s.workers.memoryMiB,
    runtimePlatform: {
      cpuArchitecture: CpuArchitecture.X86_64,
      operatingSystemFamily: OperatingSystemFamily.LINUX,
    },
  });
  // ECS reads each SST secret (an SSM SecureString) when it starts the task: only the workers get these.
  const secret = (name: string) =>
    EcsSecret.fromSsmParameter(
      StringParameter.fromSecureStringParameterAttributes(stack, `${name}Parameter`, {
        parameterName: Config.pathFor({ id: name, type: "Secret", prop: "value" }),
      }),
    );
  taskDefinition.addContainer("worker", {
    // The repository root is the build context (the image bundles core/ too); .dockerignore applies.
    image: ContainerImage.fromAsset(".", { file: "workers/Dockerfile", platform: Platform.LINUX_AMD64 }),
    logging: LogDrivers.awsLogs({
      streamPrefix: "worker",
      logGroup: logGroup(stack, "WorkerLogs"),
    }),
    environment: {
      AGENTVINE_API_URL: api.url,
      AGENTVINE_QUEUE_URLS: queueUrlsJson(stack, queues),
      AGENTVINE_BLOB_BUCKET: snapshots.bucketName,
      ...runtimeEnvironment(s.runtime),
      ...(s.workers.claudeModel ? { AGENTVINE_CLAUDE_MODEL: s.workers.claudeModel } : {}),
    },
    secrets: {
      AGENTVINE_WORKER_ENROLMENT_TOKEN: secret(secrets.workerEnrolmentToken.name),
      ANTHROPIC_API_KEY: secret(secrets.anthropicApiKey.name),
      // Read by the image's GIT_ASKPASS helper when git asks for a password.
      AGENTVINE_GIT_TOKEN: secret(secrets.gitToken.name),
    },
    // SIGTERM on scale-in or deploy: time to finish or release the work order (Fargate's maximum).
    stopTimeout: Duration.seconds(120),
  });
  for (const statement of queueStatements(queues, QUEUE_ACCESS.worker))
    taskDefinition.addToTaskRolePolicy(statement);
  // Parking saves a run's snapshot and resuming reads it: the workers alone see snapshots' contents.
  allowSnapshots(taskDefinition.taskRole, snapshots, SNAPSHOT_ACCESS.worker);
  // The ECS agent endpoint calls UpdateTaskProtection with the task role, for this cluster's tasks only.
  cluster.grantTaskProtection(taskDefinition.taskRole);
  suppress(taskDefinition, [
    {
      id: "AwsSolutions-ECS2",
      reason:
        "No secret among them (the enrolment token, the Anthropic API key and the git token come from SSM through `secrets`): the API and queue URLs and the lease settings belong to this deploy, and a change rolls the workers with a new task definition revision.",
    },
  ]);
  suppress(
    taskDefinition.taskRole,
    [
      {
        id: "AwsSolutions-IAM5",
        reason:
          "Task ids exist only at run time: UpdateTaskProtection is granted for this cluster's tasks only.",
        appliesTo: [{ regex: "/^Resource::arn:<AWS::Partition>:ecs:.*:task/<Cluster[0-9A-F]+>/\\*$/" }],
      },
    ],
    true,
  );
  if (taskDefinition.executionRole)
    suppress(
      taskDefinition.executionRole,
      [
        {
          id: "AwsSolutions-IAM5",
          reason:
            "ecr:GetAuthorizationToken has no resource-level permissions; image pulls are limited to the image's repository.",
          appliesTo: ["Resource::*"],
        },
      ],
      true,
    );

  const service = new FargateService(stack, "WorkerService", {
    cluster,
    taskDefinition,
    serviceName: names.service,
    assignPublicIp: true,
    vpcSubnets: { subnetType: SubnetType.PUBLIC },
    securityGroups: [securityGroup],
    minHealthyPercent: 100,
    circuitBreaker: { rollback: true },
  });
  // The desired count belongs to autoscaling and the API's scaling endpoint: a deploy keeps it.
  (service.node.defaultChild as CfnService).addPropertyDeletionOverride("DesiredCount");

  if (s.workers.autoscale) {
    const scaling = service.autoScaleTaskCount({ minCapacity: s.workers.min, maxCapacity: s.workers.max });
    const usingMetrics = Object.fromEntries(
      PRIORITIES.flatMap((p) => {
        const options = { statistic: "Maximum", period: Duration.minutes(1) };
        return [
          [`${p}Visible`, queues[p].main.metricApproximateNumberOfMessagesVisible(options)],
          [`${p}InFlight`, queues[p].main.metricApproximateNumberOfMessagesNotVisible(options)],
        ];
      }),
    );
    scaling.scaleOnMetric("Backlog", {
      // Outstanding work: waiting messages plus those workers hold, across the three queues.
      metric: new MathExpression({
        expression: Object.keys(usingMetrics).join(" + "),
        usingMetrics,
        label: "Outstanding work orders",
        period: Duration.minutes(1),
      }),
      adjustmentType: AdjustmentType.EXACT_CAPACITY,
      scalingSteps: backlogSteps(s.workers.max, s.workers.backlogPerWorker),
      cooldown: Duration.minutes(1),
    });
    const policy = scaling.node.findAll().find((c) => c instanceof StepScalingPolicy);
    const [idle, busy] = [policy?.lowerAlarm, policy?.upperAlarm].map(
      (a) => a?.node.defaultChild as CfnAlarm,
    );
    if (!idle || !busy) throw new Error("the backlog scaling policy has no idle and busy alarms");
    // SQS stops publishing metrics for queues idle for hours: no data means no work.
    idle.treatMissingData = TreatMissingData.BREACHING;
    idle.evaluationPeriods = IDLE_MINUTES;
    idle.datapointsToAlarm = IDLE_MINUTES;
    busy.treatMissingData = TreatMissingData.NOT_BREACHING;
  }
  return { cluster, service };
}
