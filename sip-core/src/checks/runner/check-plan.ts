// Which checks run, in which order. Pure: definitions and a selection in, an ordered plan out.
//
// Order is a topological sort (Kahn) that keeps the registration order among checks that are ready at the
// same time, so reports list checks in the order a reader expects (DNS, TLS, OPTIONS, auth, then calls).
// `--only` pulls in every transitive dependency of what it names (reported in `pulledIn`, not silently run);
// `--skip` keeps the check in the plan as skipped (`deselected`), so its dependants say why they were skipped.

import type { CheckDefinition } from './check-definition.js';
import { CheckRunnerError } from './check-runner-error.js';

export interface CheckSelection {
  /** Run only these (and what they depend on). Empty or absent: every check. */
  readonly only?: readonly string[];
  /** Do not run these; dependants are skipped with the reason. */
  readonly skip?: readonly string[];
}

export interface PlannedCheck<S> {
  readonly definition: CheckDefinition<S>;
  /** Named in `--skip`: reported as skipped, never run. */
  readonly deselected: boolean;
}

export interface CheckPlan<S> {
  readonly checks: readonly PlannedCheck<S>[];
  /** Checks not named in `--only` but run because a selected check depends on them. */
  readonly pulledIn: readonly string[];
}

/** Validates ids and dependencies; returns the definitions in dependency order. */
export function orderChecks<S>(definitions: readonly CheckDefinition<S>[]): CheckDefinition<S>[] {
  const byId = new Map<string, CheckDefinition<S>>();
  for (const definition of definitions) {
    if (byId.has(definition.id))
      throw new CheckRunnerError('CHECKS_DUPLICATE_ID', `Two checks share the id '${definition.id}'.`);
    byId.set(definition.id, definition);
  }
  for (const definition of definitions) {
    for (const dependency of definition.dependsOn) {
      if (!byId.has(dependency)) {
        throw new CheckRunnerError(
          'CHECKS_UNKNOWN_DEPENDENCY',
          `Check '${definition.id}' depends on '${dependency}', which is not registered.`,
        );
      }
    }
  }
  const ordered: CheckDefinition<S>[] = [];
  const placed = new Set<string>();
  while (ordered.length < definitions.length) {
    const ready = definitions.find((d) => !placed.has(d.id) && d.dependsOn.every((id) => placed.has(id)));
    if (ready === undefined) {
      const stuck = definitions.filter((d) => !placed.has(d.id)).map((d) => d.id);
      throw new CheckRunnerError(
        'CHECKS_DEPENDENCY_CYCLE',
        `The dependencies of ${stuck.map((id) => `'${id}'`).join(', ')} form a cycle.`,
      );
    }
    ordered.push(ready);
    placed.add(ready.id);
  }
  return ordered;
}

/** Applies `--only` and `--skip` to ordered definitions. Unknown ids are a usage error naming the known ones. */
export function planChecks<S>(
  ordered: readonly CheckDefinition<S>[],
  selection: CheckSelection = {},
): CheckPlan<S> {
  const byId = new Map(ordered.map((d) => [d.id, d]));
  const only = selection.only ?? [];
  const skip = new Set(selection.skip ?? []);
  for (const id of [...only, ...skip]) {
    if (!byId.has(id)) {
      throw new CheckRunnerError(
        'CHECKS_UNKNOWN_CHECK',
        `There is no check '${id}'. Known checks: ${[...byId.keys()].join(', ')}.`,
      );
    }
  }
  let included: Set<string>;
  const pulledIn: string[] = [];
  if (only.length === 0) {
    included = new Set(byId.keys());
  } else {
    included = new Set(only);
    const pending = [...only];
    while (pending.length > 0) {
      for (const dependency of byId.get(pending.pop()!)!.dependsOn) {
        if (included.has(dependency)) continue;
        included.add(dependency);
        pulledIn.push(dependency);
        pending.push(dependency);
      }
    }
  }
  return {
    checks: ordered
      .filter((d) => included.has(d.id))
      .map((definition) => ({ definition, deselected: skip.has(definition.id) })),
    pulledIn: ordered.filter((d) => pulledIn.includes(d.id)).map((d) => d.id),
  };
}
