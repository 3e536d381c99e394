declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
    /** Which DynamoDB engine runs (dynalite lacks transactions and TTL). */
    dynamoKind: "dynamodb-local" | "dynalite";
  }
}

export {};
