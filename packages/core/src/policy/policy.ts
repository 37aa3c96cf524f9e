import { type Role, roles } from '../identity/roles.js';
import { getSetting, type TenantConfig } from '../tenancy/config.js';

/** Who is asking. `null` in a {@link PolicyContext} means nobody has signed in. */
export type Actor = { userId: string; tenantId: string; roles: readonly Role[] };

type ConditionKey =
  | 'public'
  | 'signedIn'
  | 'role'
  | 'owner'
  | 'relationship'
  | 'setting'
  | 'equals';
// Forbids the other kinds' keys so `{ public: true, role: [...] }` is a type error as well as a
// definition-time error.
type Only<T> = T & { [K in Exclude<ConditionKey, keyof T>]?: never };

/** One test an actor must pass. Each condition names exactly one kind. */
export type Condition =
  /** Anyone, including someone who has not signed in. */
  | Only<{ public: true }>
  /** Anyone who has signed in. */
  | Only<{ signedIn: true }>
  /** An actor holding at least one of these roles. An empty list matches nobody. */
  | Only<{ role: readonly Role[] }>
  /** The actor owns the resource (`resource.ownerId === actor.userId`). */
  | Only<{ owner: true }>
  /**
   * The actor is in the resource's named relationship, such as the member's matched mentors.
   * @example { relationship: 'mentors' }
   */
  | Only<{ relationship: string }>
  /**
   * A tenant setting, read with `getSetting`, equals a value. It tests the tenant, not the
   * actor, so it holds for anonymous actors too; pair it with another condition to say who.
   * @example { setting: 'identity.allowMemberSignUp', equals: true }
   */
  | Only<{ setting: string; equals: string | number | boolean }>;

/** Conditions that must ALL hold. */
export type Alternative = readonly Condition[];
/** Alternatives of which ANY may grant. An empty rule grants nothing. */
export type Rule = readonly Alternative[];
/** A rule for every action. An action without a rule is denied. */
export type Policy<A extends string = string> = Readonly<Record<A, Rule>>;
/** The action names of a policy. */
export type ActionOf<P> = P extends unknown ? Extract<keyof P, string> : never;

export interface PolicyContext {
  /** The signed-in actor, or `null` for an anonymous visitor. */
  actor: Actor | null;
  /** The tenant's configuration, needed by `setting` conditions; without it they fail. */
  config?: TenantConfig;
  /** The thing acted on, needed by `owner` and `relationship` conditions. */
  resource?: {
    ownerId?: string;
    /** User ids by relationship name. @example { mentors: ['u_2'] } */
    relationships?: Record<string, readonly string[]>;
  };
}

export interface Decision {
  allowed: boolean;
  /** For logs and audit: which alternative granted, or what each alternative lacked. */
  reason: string;
}

const conditionKinds = ['public', 'signedIn', 'role', 'owner', 'relationship', 'setting'] as const;
type ConditionKind = (typeof conditionKinds)[number];
const conditionKeys: readonly string[] = [...conditionKinds, 'equals'];
const knownRoles: ReadonlySet<string> = new Set(roles);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(condition: Record<string, unknown>): ConditionKind | undefined {
  const kinds = conditionKinds.filter((kind) => Object.hasOwn(condition, kind));
  return kinds.length === 1 ? kinds[0] : undefined;
}

/** Why a condition is malformed, or `undefined` when it is well formed. */
function conditionProblem(condition: unknown): string | undefined {
  if (!isRecord(condition)) return 'is not an object';
  const keys = Object.keys(condition);
  const unknownKeys = keys.filter((key) => !conditionKeys.includes(key));
  if (unknownKeys.length > 0) return `has unknown key(s) ${unknownKeys.join(', ')}`;
  const kinds = conditionKinds.filter((kind) => keys.includes(kind));
  if (kinds.length === 0)
    return `names no condition (expected one of ${conditionKinds.join(', ')})`;
  if (kinds.length > 1) {
    return `names several conditions (${kinds.join(', ')}); list them as separate conditions of the alternative`;
  }
  const kind = kinds[0];
  const value = condition[kind as string];
  if (kind !== 'setting' && keys.includes('equals')) return '"equals" only goes with "setting"';
  switch (kind) {
    case 'public':
    case 'signedIn':
    case 'owner':
      return value === true ? undefined : `"${kind}" must be true`;
    case 'role':
      if (!Array.isArray(value)) return '"role" must be a list of roles';
      if (value.length === 0) {
        return '"role" lists no roles, so it can never hold (use an empty rule to deny everyone)';
      }
      for (const role of value) {
        if (typeof role !== 'string' || !knownRoles.has(role)) {
          return `"role" names an unknown role ${JSON.stringify(role)}`;
        }
      }
      return undefined;
    case 'relationship':
      return typeof value === 'string' && value !== ''
        ? undefined
        : '"relationship" must name a relationship';
    case 'setting': {
      if (typeof value !== 'string' || value === '') return '"setting" must be a dotted path';
      const equals = condition.equals;
      return typeof equals === 'string' || typeof equals === 'number' || typeof equals === 'boolean'
        ? undefined
        : '"setting" needs "equals" with a string, number or boolean';
    }
    default:
      return 'is not a condition';
  }
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/**
 * Declares a policy and checks its shape at once, so a malformed rule stops the platform from
 * starting instead of quietly granting or denying at request time. The policy is frozen, so it
 * cannot be loosened after it has been checked.
 *
 * @throws Error naming the action, alternative and condition when an alternative is empty, a
 *   condition names no kind or several, has unknown keys, or lists an unknown or no role.
 * @example
 * const goalsPolicy = definePolicy({
 *   'goals.read': [[{ owner: true }], [{ relationship: 'mentors' }]],
 *   'goals.delete': [[{ owner: true }]],
 * });
 */
export function definePolicy<const P extends Record<string, Rule>>(policy: P): P {
  if (!isRecord(policy)) throw new Error('A policy must be an object of rules keyed by action');
  for (const [action, rule] of Object.entries(policy)) {
    const where = `Policy action ${JSON.stringify(action)}`;
    if (action === '') throw new Error('Policy actions must have a name');
    if (!Array.isArray(rule)) throw new Error(`${where}: the rule must be a list of alternatives`);
    rule.forEach((alternative: unknown, a) => {
      if (!Array.isArray(alternative)) {
        throw new Error(`${where}, alternative ${a}: must be a list of conditions`);
      }
      if (alternative.length === 0) {
        throw new Error(
          `${where}, alternative ${a}: is empty; an empty alternative grants nothing (use an empty rule [] to deny everyone)`,
        );
      }
      alternative.forEach((condition: unknown, c) => {
        const problem = conditionProblem(condition);
        if (problem) throw new Error(`${where}, alternative ${a}, condition ${c}: ${problem}`);
      });
    });
  }
  deepFreeze(policy);
  return policy;
}

function validActor(actor: unknown): Actor | null {
  if (!isRecord(actor)) return null;
  const { userId, tenantId, roles: actorRoles } = actor;
  // An empty id would match an empty ownerId, so such an actor is treated as nobody.
  if (typeof userId !== 'string' || userId === '' || typeof tenantId !== 'string') return null;
  return Array.isArray(actorRoles) ? (actor as Actor) : null;
}

function holds(
  condition: Condition,
  actor: Actor | null,
  ctx: PolicyContext,
  resourcePending: boolean,
): boolean {
  if (conditionProblem(condition) !== undefined) return false;
  const c = condition as Record<string, unknown>;
  const resource = isRecord(ctx.resource) ? ctx.resource : undefined;
  const kind = kindOf(c);
  // Before the resource is loaded, resource conditions are assumed to hold for a signed-in actor;
  // the caller must evaluate again with the resource.
  if (resourcePending && (kind === 'owner' || kind === 'relationship')) return actor !== null;
  switch (kind) {
    case 'public':
      return true;
    case 'signedIn':
      return actor !== null;
    case 'role':
      return actor !== null && (c.role as readonly Role[]).some((r) => actor.roles.includes(r));
    case 'owner':
      return actor !== null && resource?.ownerId === actor.userId;
    case 'relationship': {
      const relationships = resource?.relationships;
      if (actor === null || !isRecord(relationships)) return false;
      const name = c.relationship as string;
      if (!Object.hasOwn(relationships, name)) return false;
      const members = relationships[name];
      return Array.isArray(members) && members.includes(actor.userId);
    }
    case 'setting':
      return isRecord(ctx.config) && getSetting(ctx.config, c.setting as string) === c.equals;
    default:
      return false;
  }
}

function describe(condition: Condition): string {
  const c = condition as Record<string, unknown>;
  switch (kindOf(c)) {
    case 'public':
      return 'public';
    case 'signedIn':
      return 'signed in';
    case 'role':
      return `role ${Array.isArray(c.role) ? c.role.join(' or ') : '?'}`;
    case 'owner':
      return 'owner';
    case 'relationship':
      return `relationship ${JSON.stringify(c.relationship)}`;
    case 'setting':
      return `setting ${String(c.setting)} = ${JSON.stringify(c.equals)}`;
    default:
      return 'a malformed condition';
  }
}

function deny(reason: string): Decision {
  return { allowed: false, reason };
}

/**
 * Decides whether the context's actor may perform `action`. Never throws: an unknown action, an
 * empty rule or alternative, a malformed condition or missing context all deny.
 *
 * @example
 * evaluate(hearthPolicy, 'tenancy.config.update', { actor })
 * // { allowed: true, reason: '"tenancy.config.update" granted by alternative 0 (role org_admin)' }
 */
export interface EvaluateOptions {
  /**
   * The resource is not loaded yet: treat `owner` and `relationship` conditions as holding for a
   * signed-in actor. Use it to decide whether loading the resource is worth it, then evaluate
   * again with the resource; never grant on this answer alone.
   * @default false
   */
  resourcePending?: boolean;
}

export function evaluate(
  policy: Policy,
  action: string,
  ctx: PolicyContext,
  options: EvaluateOptions = {},
): Decision {
  const name = typeof action === 'string' ? JSON.stringify(action) : 'a non-string action';
  try {
    if (!isRecord(policy) || typeof action !== 'string' || !Object.hasOwn(policy, action)) {
      return deny(`${name} is not an action of this policy`);
    }
    const rule: unknown = policy[action];
    if (!Array.isArray(rule) || rule.length === 0) return deny(`${name} has no rule that grants`);
    const actor = validActor(ctx?.actor);
    const context: PolicyContext = isRecord(ctx) ? ctx : { actor: null };
    const failures: string[] = [];
    for (const [index, alternative] of rule.entries()) {
      if (!Array.isArray(alternative) || alternative.length === 0) {
        failures.push(`alternative ${index} is empty`);
        continue;
      }
      const pending = options?.resourcePending === true;
      const failed = (alternative as Alternative).filter((c) => !holds(c, actor, context, pending));
      if (failed.length === 0) {
        const granted = (alternative as Alternative).map(describe).join(' and ');
        return { allowed: true, reason: `${name} granted by alternative ${index} (${granted})` };
      }
      failures.push(`alternative ${index} needs ${failed.map(describe).join(' and ')}`);
    }
    return deny(`${name} denied: ${failures.join('; ')}`);
  } catch {
    return deny(`${name} denied: the policy could not be evaluated`);
  }
}

/** Whether the context's actor may perform `action`; see {@link evaluate}. */
export function can(policy: Policy, action: string, ctx: PolicyContext): boolean {
  return evaluate(policy, action, ctx).allowed;
}

/**
 * Combines capabilities' policies into one. Each action must be defined exactly once, so one
 * capability can never quietly replace another's rule.
 *
 * @throws Error when two policies define the same action, or a policy is malformed.
 * @example const platformPolicy = mergePolicies(hearthPolicy, goalsPolicy);
 */
export function mergePolicies<const Ps extends readonly Policy[]>(
  ...policies: Ps
): Policy<ActionOf<Ps[number]>> {
  const entries: [string, Rule][] = [];
  const seen = new Set<string>();
  for (const policy of policies) {
    for (const [action, rule] of Object.entries(definePolicy(policy))) {
      if (seen.has(action)) {
        throw new Error(
          `Policy action ${JSON.stringify(action)} is defined by more than one policy`,
        );
      }
      seen.add(action);
      entries.push([action, rule]);
    }
  }
  // fromEntries defines own properties, so an action named "__proto__" stays an action.
  return definePolicy(Object.fromEntries(entries)) as Policy<ActionOf<Ps[number]>>;
}
