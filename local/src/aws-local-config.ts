/**
 * Client configuration for talking to the local engines (DynamoDB Local / dynalite, fauxqs).
 * DynamoDB Local rejects access key ids that are not letters and digits only.
 */
export interface AwsLocalClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export const LOCAL_REGION = "us-east-1";

export function awsClientConfig(endpoint: string): AwsLocalClientConfig {
  return {
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  };
}

/** The same settings as environment variables, for child processes (the workers) to read. */
export function awsClientEnv(sqsEndpoint: string): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL_SQS: sqsEndpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
  };
}
