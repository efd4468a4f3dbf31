// Every GraphQL document the product sends to Railway, and nothing else: the tests enumerate this
// module's exports and validate each one against the vendored public schema, so a document added
// here is checked automatically and a document written anywhere else is a review smell.
//
// Each document is a named operation: the name travels in the request body (Railway's logs and the
// emulator's fault injection key on it) and in every error message this client raises.
// Field and argument names come from `vendor/railway/schema.json`, never from memory.
import type {
  BuildLogsQuery,
  BuildLogsQueryVariables,
  DeploymentLogsQuery,
  DeploymentLogsQueryVariables,
  DeploymentQuery,
  DeploymentQueryVariables,
  DeploymentsQuery,
  DeploymentsQueryVariables,
  MeQuery,
  MeQueryVariables,
  ProjectQuery,
  ProjectQueryVariables,
  ProjectServicesQuery,
  ProjectServicesQueryVariables,
  ProjectTokenQuery,
  ProjectTokenQueryVariables,
  ServiceCreateMutation,
  ServiceCreateMutationVariables,
  ServiceDeleteMutation,
  ServiceDeleteMutationVariables,
  ServiceDomainCreateMutation,
  ServiceDomainCreateMutationVariables,
  ServiceInstanceDeployV2Mutation,
  ServiceInstanceDeployV2MutationVariables,
  ServiceInstanceQuery,
  ServiceInstanceQueryVariables,
  VariableCollectionUpsertMutation,
  VariableCollectionUpsertMutationVariables,
  VariablesQuery,
  VariablesQueryVariables,
} from './generated/graphql.js';

/**
 * A document's text, typed with what it answers and the variables it takes, both generated from
 * this file by `npm run codegen` (generated/graphql.ts). Only a type: at run time a document is
 * its string, so the bundles carry no generated code.
 */
export type RailwayDocument<TAnswer, TVariables> = string & {
  readonly __answer?: TAnswer;
  readonly __variables?: TVariables;
};

/** The account behind an account or workspace token (project tokens are refused). */
export const ME: RailwayDocument<MeQuery, MeQueryVariables> = /* GraphQL */ `
  query Me {
    me {
      id
      email
      name
    }
  }
`;

/** Only a project token may ask; the answer says which project and environment it is bound to. */
export const PROJECT_TOKEN: RailwayDocument<ProjectTokenQuery, ProjectTokenQueryVariables> = /* GraphQL */ `
  query ProjectToken {
    projectToken {
      projectId
      environmentId
    }
  }
`;

// Connections are requested without `first`, as Railway's official CLI does: Railway answers with
// every service and environment of the project, and a project holds tens of them, not thousands.
export const PROJECT: RailwayDocument<ProjectQuery, ProjectQueryVariables> = /* GraphQL */ `
  query Project($id: String!) {
    project(id: $id) {
      id
      name
      services {
        edges {
          node {
            id
            name
            createdAt
          }
        }
      }
      environments {
        edges {
          node {
            id
            name
          }
        }
      }
    }
  }
`;

/**
 * One page of the project's services, behind find-by-name, capacity counts and "is it gone?":
 * `Project.services` is a Relay connection (`first`/`after`, `pageInfo`), and Railway's default
 * page size is not documented, so the client asks for pages and follows `endCursor`.
 */
export const PROJECT_SERVICES: RailwayDocument<ProjectServicesQuery, ProjectServicesQueryVariables> =
  /* GraphQL */ `
    query ProjectServices($id: String!, $first: Int, $after: String) {
      project(id: $id) {
        services(first: $first, after: $after) {
          edges {
            node {
              id
              name
              createdAt
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  `;

export const SERVICE_CREATE: RailwayDocument<ServiceCreateMutation, ServiceCreateMutationVariables> =
  /* GraphQL */ `
    mutation ServiceCreate($input: ServiceCreateInput!) {
      serviceCreate(input: $input) {
        id
        name
        projectId
        createdAt
      }
    }
  `;

export const SERVICE_INSTANCE: RailwayDocument<ServiceInstanceQuery, ServiceInstanceQueryVariables> =
  /* GraphQL */ `
    query ServiceInstance($serviceId: String!, $environmentId: String!) {
      serviceInstance(serviceId: $serviceId, environmentId: $environmentId) {
        id
        serviceId
        serviceName
        environmentId
        source {
          image
          repo
        }
        latestDeployment {
          id
          status
          url
          staticUrl
          createdAt
          deploymentStopped
        }
        domains {
          serviceDomains {
            id
            domain
          }
        }
      }
    }
  `;

/** `serviceInstanceDeployV2` answers with the new deployment's id (V1 answers only `true`). */
export const SERVICE_INSTANCE_DEPLOY: RailwayDocument<
  ServiceInstanceDeployV2Mutation,
  ServiceInstanceDeployV2MutationVariables
> = /* GraphQL */ `
  mutation ServiceInstanceDeployV2($serviceId: String!, $environmentId: String!, $commitSha: String) {
    serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId, commitSha: $commitSha)
  }
`;

/** What Railway's official CLI subscribes to while it waits for a deployment (id, status, deploymentStopped). */
export const DEPLOYMENT: RailwayDocument<DeploymentQuery, DeploymentQueryVariables> = /* GraphQL */ `
  query Deployment($id: String!) {
    deployment(id: $id) {
      id
      status
      url
      staticUrl
      createdAt
      deploymentStopped
    }
  }
`;

export const DEPLOYMENTS: RailwayDocument<DeploymentsQuery, DeploymentsQueryVariables> = /* GraphQL */ `
  query Deployments($input: DeploymentListInput!, $first: Int) {
    deployments(input: $input, first: $first) {
      edges {
        node {
          id
          status
          url
          staticUrl
          createdAt
          deploymentStopped
        }
      }
    }
  }
`;

export const BUILD_LOGS: RailwayDocument<BuildLogsQuery, BuildLogsQueryVariables> = /* GraphQL */ `
  query BuildLogs($deploymentId: String!, $limit: Int) {
    buildLogs(deploymentId: $deploymentId, limit: $limit) {
      message
      severity
      timestamp
    }
  }
`;

export const DEPLOYMENT_LOGS: RailwayDocument<DeploymentLogsQuery, DeploymentLogsQueryVariables> =
  /* GraphQL */ `
    query DeploymentLogs($deploymentId: String!, $limit: Int) {
      deploymentLogs(deploymentId: $deploymentId, limit: $limit) {
        message
        severity
        timestamp
      }
    }
  `;

export const SERVICE_DOMAIN_CREATE: RailwayDocument<
  ServiceDomainCreateMutation,
  ServiceDomainCreateMutationVariables
> = /* GraphQL */ `
  mutation ServiceDomainCreate($input: ServiceDomainCreateInput!) {
    serviceDomainCreate(input: $input) {
      id
      domain
    }
  }
`;

export const VARIABLE_COLLECTION_UPSERT: RailwayDocument<
  VariableCollectionUpsertMutation,
  VariableCollectionUpsertMutationVariables
> = /* GraphQL */ `
  mutation VariableCollectionUpsert($input: VariableCollectionUpsertInput!) {
    variableCollectionUpsert(input: $input)
  }
`;

/** Rendered service variables, Railway's own `RAILWAY_*` ones included. */
export const VARIABLES: RailwayDocument<VariablesQuery, VariablesQueryVariables> = /* GraphQL */ `
  query Variables($projectId: String!, $environmentId: String!, $serviceId: String) {
    variables(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId)
  }
`;

export const SERVICE_DELETE: RailwayDocument<ServiceDeleteMutation, ServiceDeleteMutationVariables> =
  /* GraphQL */ `
    mutation ServiceDelete($id: String!, $environmentId: String) {
      serviceDelete(id: $id, environmentId: $environmentId)
    }
  `;
