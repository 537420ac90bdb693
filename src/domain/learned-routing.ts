/**
 * Routing with a learned fallback: the workspace's rules decide first, always; only where no
 * rule matched may a model trained on the workspace's own corrections choose a department,
 * and only when it is at least `minConfidence` sure of a department that exists. Otherwise
 * the default department, as before, with the model's guess noted in the reason.
 */
import type { ComplaintFacts, RoutingDecision, RoutingPolicy } from "./complaint.ts";
import { DEFAULT_ROUTE_REASON, routeComplaint } from "./routing.ts";
import { type Classification, classifyText, type TextClassifier } from "./text-classifier.ts";

/** A trained model as stored: its version (a counter) and its classifier. */
export interface LearnedModel {
  version: number;
  classifier: TextClassifier;
}

/** What the learned fallback needs: the model, how sure it must be, and the labels it may give. */
export interface LearnedFallback {
  model: LearnedModel;
  /** 0..1; a guess below it is not followed. */
  minConfidence: number;
  /** Labels the model may answer with (department keys, or kinds); others are ignored. */
  allowed: readonly string[];
}

/** The model's answer when it may be followed, else undefined (with the guess, for the reason). */
export function consultModel(
  fallback: LearnedFallback,
  text: string,
): { follow: Classification | undefined; guess: Classification } {
  const guess = classifyText(fallback.model.classifier, text);
  const usable =
    fallback.allowed.includes(guess.label) && guess.confidence >= fallback.minConfidence;
  return { follow: usable ? guess : undefined, guess };
}

/** "learned: operations 0.82 — 'delayed', 'tarmac' (model v3)": why the model chose it. */
export function describeLearned(guess: Classification, version: number): string {
  const evidence = guess.evidence.map((feature) => `'${feature}'`).join(", ");
  const why = evidence ? ` — ${evidence}` : "";
  return `learned: ${guess.label} ${formatConfidence(guess.confidence)}${why} (model v${version})`;
}

/** A confidence as the card shows it: two decimals, never rounded up to a certainty it lacks. */
export function formatConfidence(confidence: number): string {
  // The epsilon keeps 0.29 (28.999… in binary) from showing as 0.28.
  return (Math.floor(confidence * 100 + 1e-9) / 100).toFixed(2);
}

/**
 * Routes a complaint: the first matching rule wins; with no match, the model's department
 * when it is sure enough, else the default department.
 */
export function routeWithLearnedFallback(
  facts: ComplaintFacts,
  policy: RoutingPolicy,
  fallback: LearnedFallback | undefined,
): RoutingDecision {
  const byRules = routeComplaint(facts, policy);
  if (byRules.rule !== null || !fallback) return byRules;
  const { follow, guess } = consultModel(fallback, facts.text);
  if (follow) {
    return {
      department: follow.label,
      rule: null,
      reason: describeLearned(follow, fallback.model.version),
      modelVersion: fallback.model.version,
    };
  }
  const below = `${formatConfidence(guess.confidence)} < ${formatConfidence(fallback.minConfidence)}`;
  const note = fallback.allowed.includes(guess.label)
    ? `model v${fallback.model.version} guessed ${guess.label} ${below}`
    : `model v${fallback.model.version} guessed unknown "${guess.label}"`;
  return { ...byRules, reason: `${DEFAULT_ROUTE_REASON} (${note})` };
}
