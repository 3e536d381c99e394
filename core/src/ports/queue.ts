import type { Priority } from "../resources.ts";

/** What a queue message carries: just enough to find the work order; DynamoDB holds the truth. */
export interface WorkOrderMessage {
  workOrderId: string;
  taskId: string;
  /**
   * The work order's enqueuedAt (set once, never changed): with it a queued work order is
   * claimed by its deciding write alone, no read first. Absent in messages sent before it was.
   */
  enqueuedAt?: string;
  /**
   * Its task's createdAt (the task's status index is keyed by creation): with it a won claim
   * writes the task without reading it first. Absent in messages sent before it was.
   */
  taskCreatedAt?: string;
}

export interface ReceivedMessage {
  priority: Priority;
  body: WorkOrderMessage;
  receiptHandle: string;
  /** SQS ApproximateReceiveCount: > 1 means an earlier delivery was not finished. */
  receiveCount: number;
}

export interface QueueDepth {
  visible: number;
  inFlight: number;
  dead: number;
}

/** The queue port: one queue per priority, each with a dead-letter queue (SQS on AWS and locally). */
export interface QueuePort {
  send(priority: Priority, message: WorkOrderMessage): Promise<void>;
  receive(
    priority: Priority,
    options: { waitSeconds: number; visibilitySeconds: number; max?: number },
  ): Promise<ReceivedMessage[]>;
  delete(priority: Priority, receiptHandle: string): Promise<void>;
  /** Sets the message's remaining invisibility; false when the receipt is no longer valid. */
  setVisibility(priority: Priority, receiptHandle: string, seconds: number): Promise<boolean>;
  depth(): Promise<Record<Priority, QueueDepth>>;
  receiveDead(priority: Priority, max: number): Promise<ReceivedMessage[]>;
  deleteDead(priority: Priority, receiptHandle: string): Promise<void>;
}
