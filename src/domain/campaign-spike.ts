/**
 * Spike detection for a campaign's linked complaints: counts in, a decision out. A spike is
 * when the complaints linked in the last window reach the configured minimum and exceed
 * `factor` times what the campaign's expected volume predicts for a window of that length.
 * One alert per spike: after alerting, the detector is disarmed until the count falls back
 * below the threshold.
 */

/** The workspace's spike settings. */
export interface SpikeRule {
  /** How many times the expected rate counts as a spike. */
  factor: number;
  windowMs: number;
  /** Fewer complaints than this in a window is never a spike. */
  minimum: number;
}

/**
 * Complaints the campaign expects in one window: its expected volume spread evenly over its
 * duration. Zero when marketing gave no estimate (then the minimum alone decides).
 */
export function expectedInWindow(input: {
  expectedVolume: number | null | undefined;
  launchAt: Date;
  endAt: Date;
  windowMs: number;
}): number {
  const duration = input.endAt.getTime() - input.launchAt.getTime();
  const volume = input.expectedVolume ?? 0;
  if (volume <= 0 || duration <= 0) return 0;
  return (volume * input.windowMs) / duration;
}

/** The smallest count in a window that is a spike: at least the minimum, and above factor × expected. */
export function spikeThreshold(expected: number, rule: SpikeRule): number {
  const aboveExpected = Math.floor(rule.factor * expected) + 1;
  return Math.max(Math.ceil(rule.minimum), aboveExpected, 1);
}

/**
 * Evaluated each time a complaint is linked: `countBefore` is the window's count just before
 * it, `countNow` with it. A count below the threshold re-arms the detector; an armed detector
 * at or above the threshold alerts and disarms.
 */
export function detectSpike(input: {
  armed: boolean;
  countBefore: number;
  countNow: number;
  threshold: number;
}): { alert: boolean; armed: boolean } {
  const armed = input.armed || input.countBefore < input.threshold;
  if (armed && input.countNow >= input.threshold) return { alert: true, armed: false };
  return { alert: false, armed };
}
