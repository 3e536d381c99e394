import path from "node:path";
import { Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { App } from "sst/constructs";
import { initProject } from "sst/project.js";
import { stacks } from "./app.ts";
import { collectNagFindings } from "./nag.ts";

const root = path.resolve(import.meta.dirname, "..");

/**
 * Synthesizes the whole app in-process and offline, as `sst deploy` would before deploying
 * (the CLI itself needs AWS credentials even to synth). Returns each stack's template by
 * stack function name (Storage, Api, ...) and what cdk-nag found in them. Test support only.
 */
export const synth = async (stage: string, env: Record<string, string> = {}) => {
  // Only in test mode does App.finish skip the bootstrap lookup in the AWS account.
  process.env.NODE_ENV = "test";
  // Deploy settings come from the environment: only those given here, not the developer's shell's.
  for (const key of Object.keys(process.env)) if (/^AGENTVINE_(?!TEST_)/.test(key)) delete process.env[key];
  Object.assign(process.env, { AGENTVINE_WEB_DIST: "infra/fixtures/web-dist", ...env });
  const cwd = process.cwd();
  try {
    // initProject bundles sst.config.ts into the working directory and imports it from there:
    // infra/ is where `sst` resolves. Paths in the stacks are relative to the root.
    process.chdir(path.join(root, "infra"));
    await initProject({ stage, root });
    process.chdir(root);
    const app = new App({
      mode: "deploy",
      stage,
      name: "agentvine",
      region: "us-east-1",
      account: "123456789012",
    });
    await stacks(app);
    const nag = collectNagFindings(app);
    await app.finish();
    const templates: Record<string, Template> = {};
    for (const child of app.node.children) {
      if (Stack.isStack(child))
        templates[child.node.id.replace(`${stage}-agentvine-`, "")] = Template.fromStack(child);
    }
    return { templates, nag };
  } finally {
    process.chdir(cwd);
  }
};

/** CloudFormation JSON, as the assertions library returns it. */
type Json = any;

/** Resources of a type across templates, as [stack, logicalId, resource]. */
export const resourcesOf = (templates: Record<string, Template>, type: string) =>
  Object.entries(templates).flatMap(([stack, template]) =>
    Object.entries(template.findResources(type)).map(
      ([id, resource]) => [stack, id, resource as Json] as const,
    ),
  );

/** The Allow statements attached to a role (its inline and separate policies), by the role's logical id. */
export const roleStatements = (template: Template, roleId: string): Json[] =>
  Object.values(template.findResources("AWS::IAM::Policy"))
    .filter((p: Json) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap((p: Json) => p.Properties.PolicyDocument.Statement)
    .filter((s: Json) => s.Effect === "Allow");

export const actionsOf = (statements: Json[]) =>
  [...new Set(statements.flatMap((s) => [s.Action].flat() as string[]))].sort();

export const logicalId = (template: Template, type: string, props: Json) => {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching, found ${ids.length}`);
  return ids[0] as string;
};

/**
 * A template value as the running code would see it: intrinsic functions are replaced by
 * sample values (a URL where a whole value is a reference, a name inside a longer string).
 */
export const render = (value: Json, whole = true): string => {
  if (typeof value === "string") return value;
  if (value?.["Fn::Join"]) {
    const [separator, parts] = value["Fn::Join"] as [string, Json[]];
    return parts
      .map((part, i) => {
        const before = parts[i - 1];
        // A reference that is a whole JSON string value (`"url":"<ref>"`) is a whole value too.
        return render(part, typeof before === "string" && before.endsWith('"'));
      })
      .join(separator);
  }
  return whole ? "https://sample.example.com/ref" : "ref";
};

const renderAll = (vars: Record<string, Json>) =>
  Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, render(v)]));

/** Our functions (handlers under functions/src/lambda/) and their environments as they would see them. */
export const functionEnvironments = (templates: Record<string, Template>) =>
  resourcesOf(templates, "AWS::Lambda::Function")
    .filter(([, , fn]) => String(fn.Properties.Handler).startsWith("functions/src/lambda/"))
    .map(([, , fn]) => ({
      handler: fn.Properties.Handler as string,
      env: renderAll(fn.Properties.Environment.Variables),
    }));

/** The worker container's environment, its secrets filled with a sample value. */
export const workerEnvironment = (templates: Record<string, Template>): Record<string, string> => {
  const [, , task] = resourcesOf(templates, "AWS::ECS::TaskDefinition")[0] ?? [];
  const [container] = task.Properties.ContainerDefinitions;
  return {
    ...renderAll(Object.fromEntries(container.Environment.map((e: Json) => [e.Name, e.Value]))),
    ...Object.fromEntries(container.Secrets.map((s: Json) => [s.Name, "sample-secret-of-enough-length"])),
  };
};

/** The function with this handler in a stack: its logical id, properties and role's logical id. */
export const lambdaOf = (templates: Record<string, Template>, stack: string, handler: string) => {
  const [id, fn] =
    Object.entries(
      templates[stack]?.findResources("AWS::Lambda::Function", { Properties: { Handler: handler } }) ?? {},
    )[0] ?? [];
  if (!id || !fn) throw new Error(`no function ${handler} in ${stack}`);
  return { id, props: fn.Properties, role: fn.Properties.Role["Fn::GetAtt"][0] as string };
};

/** Resource names of a stage start with this. */
export const prefixOf = (stage: string) => `${stage}-agentvine`;
