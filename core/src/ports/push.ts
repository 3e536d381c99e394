/** The realtime push port: API Gateway's @connections API (AWS and the local gateway alike). */
export interface PushPort {
  /** "gone" when the connection no longer exists (API Gateway's 410), so its record can go too. */
  post(connectionId: string, data: string): Promise<"sent" | "gone">;
}
