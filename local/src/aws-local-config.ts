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
