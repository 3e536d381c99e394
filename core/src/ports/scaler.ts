/** The worker-scaling port: ECS UpdateService on AWS, a process supervisor locally. */
export interface ScalerPort {
  get(): Promise<{ desired: number; running: number }>;
  setDesired(count: number): Promise<void>;
}
