import {
  buildRuleSet,
  createRiskEngine,
  decideModeration,
  defaultEnglishRiskRules,
  type Helpline,
  type ModerationAction,
  type RiskEngine,
  type RiskMatch,
  type RiskSeverity,
  type TenantConfig,
} from '@hearth/core';

/**
 * Compiled risk engines by rule configuration. Compiling takes a few hundred milliseconds and an
 * engine holds a few megabytes, so tenants with the same rules share one, and it is built once
 * per process on first use.
 */
export class RiskEngineCache {
  private readonly engines = new Map<string, RiskEngine>();
  // Parsed configurations are cached per tenant and version, so the same rules object comes
  // back on every request: remember its engine without serialising the rules each time.
  private byRules = new WeakMap<object, RiskEngine>();

  constructor(private readonly limit = 20) {}

  forConfig(config: Pick<TenantConfig, 'safeguarding'>): RiskEngine {
    const rules = config.safeguarding.rules;
    const known = this.byRules.get(rules);
    if (known) return known;
    const key = JSON.stringify(rules);
    let engine = this.engines.get(key);
    if (!engine) {
      if (this.engines.size >= this.limit) {
        // Forget every engine, so no more than `limit` are ever kept alive.
        this.engines.clear();
        this.byRules = new WeakMap();
      }
      engine = createRiskEngine(buildRuleSet(defaultEnglishRiskRules, rules));
      this.engines.set(key, engine);
    }
    this.byRules.set(rules, engine);
    return engine;
  }
}

export interface Writer {
  /** Members are the young people the service is for; staff and mentors are not. */
  isMember: boolean;
  under18: boolean;
}

export interface ModerationOutcome {
  action: ModerationAction;
  /** For the writer when their text is held or blocked: plain, kind words. */
  explanation: string | null;
  /**
   * The tenant's helplines when the writer's own words show they may be at risk; empty
   * otherwise. Return them in the answer to the very action that wrote the text.
   */
  helplines: Helpline[];
  maxSeverity: RiskSeverity | null;
  /** What the engine found, for moderators and safeguarding cases — never for the writer. */
  findings: RiskMatch[];
  /** The findings severe enough to open a safeguarding case (`caseSeverity` and above). */
  opensCases: RiskMatch[];
}

/**
 * Runs a piece of user text through the tenant's risk rules and moderation policy. Every
 * capability that stores text people write calls this before anyone else can see it.
 */
export function moderateText(
  engines: RiskEngineCache,
  config: TenantConfig,
  text: string,
  writer: Writer,
): ModerationOutcome {
  const assessment = engines.forConfig(config).assess(text);
  const decision = decideModeration(assessment.matches, writer, config.safeguarding.moderation);
  return {
    action: decision.action,
    explanation: decision.explanation,
    helplines: decision.showHelplines ? config.helplines : [],
    maxSeverity: assessment.maxSeverity,
    findings: assessment.matches,
    opensCases: decision.opensCases,
  };
}
