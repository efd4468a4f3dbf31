// The emulator's in-memory records; timestamps are emulator-clock milliseconds.
import type { Lifecycle } from './deployments.js';

export interface ProjectRec {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}
export interface EnvironmentRec {
  id: string;
  projectId: string;
  name: string;
  isEphemeral: boolean;
  createdAt: number;
  updatedAt: number;
  deletedAt?: number;
}
export interface ServiceRec {
  id: string;
  projectId: string;
  name: string;
  icon: string | null;
  createdAt: number;
  updatedAt: number;
  // Soft delete: deployments keep pointing at their service (Deployment.service is non-null).
  deletedAt?: number;
}
export interface SourceRec {
  image?: string;
  repo?: string;
}
export interface InstanceRec {
  id: string;
  serviceId: string;
  environmentId: string;
  source: SourceRec | null;
  branch: string | null;
  variables: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}
export interface DeploymentRec {
  id: string;
  seq: number;
  projectId: string;
  serviceId: string;
  environmentId: string;
  createdAt: number;
  updatedAt: number;
  statusUpdatedAt: number;
  lifecycle: Lifecycle;
  phaseIndex: number;
  removed: boolean;
  /** Poll mode pushes a deployment forward by crediting it extra elapsed time. */
  bonusMs: number;
  /** Once removed, the lifecycle (status and logs) stops where it was. */
  frozenElapsed?: number;
  meta: Record<string, unknown>;
}
export interface DomainRec {
  id: string;
  projectId: string;
  serviceId: string;
  environmentId: string;
  domain: string;
  targetPort: number | null;
  createdAt: number;
}

export interface ServiceCreate {
  projectId: string;
  name?: string | null;
  environmentId?: string | null;
  source?: SourceRec | null;
  branch?: string | null;
  variables?: Record<string, string> | null;
  icon?: string | null;
}
