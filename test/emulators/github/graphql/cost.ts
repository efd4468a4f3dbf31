/**
 * GitHub's primary-limit score of a GraphQL request ("Rate limits and query limits for the GraphQL
 * API", README: behaviour → source): add up the requests its connections need (each connection once
 * per node of the connections it is nested in), divide by 100, round; at least 1 point. A query or
 * mutation without connections (all the product sends) costs 1.
 */
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export function operationOf(
  document: DocumentNode,
  name: string | undefined,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return name === undefined
    ? operations.length === 1
      ? operations[0]
      : undefined
    : operations.find((o) => o.name?.value === name);
}

export function pointsOf(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const valueOf = (node: ValueNode): number | undefined => {
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) {
      const v = variables[node.name.value];
      return typeof v === 'number' ? v : undefined;
    }
    return undefined;
  };
  let requests = 0;
  const walk = (set: SelectionSetNode | undefined, multiplier: number): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, multiplier);
      else if (selection.kind === Kind.FRAGMENT_SPREAD)
        walk(fragments.get(selection.name.value)?.selectionSet, multiplier);
      else {
        const size = selection.arguments
          ?.filter((a) => a.name.value === 'first' || a.name.value === 'last')
          .map((a) => valueOf(a.value))
          .find((v) => v !== undefined);
        if (size === undefined) walk(selection.selectionSet, multiplier);
        else {
          requests += multiplier;
          walk(selection.selectionSet, multiplier * size);
        }
      }
    }
  };
  walk(operation.selectionSet, 1);
  return Math.max(1, Math.round(requests / 100));
}
