/**
 * The compliance alert: raised when the unmasked fraction of a window's people rises above a
 * threshold, with a minimum number of people so two passers-by cannot raise it, hysteresis so a
 * fraction hovering at the threshold does not raise and clear it on every frame, and a cooldown
 * between two alerts. The time is an argument; nothing here reads the clock.
 */

export interface AlertOptions {
  /** Unmasked fraction (no_mask + incorrect over people with a verdict) above which to alert. */
  aboveFraction: number;
  /** People with a settled verdict the window must hold before the fraction means anything. */
  minPeople: number;
  /** No second alert within this long of the previous one. */
  cooldownMs: number;
  /** The alert clears once the fraction falls to `aboveFraction - hysteresisFraction` or below. */
  hysteresisFraction: number;
}

export const DEFAULT_ALERT_OPTIONS: Readonly<AlertOptions> = {
  aboveFraction: 0.3,
  minPeople: 5,
  cooldownMs: 15 * 60_000,
  hysteresisFraction: 0.1,
};

/** The window as the rule sees it. */
export interface AlertInput {
  /** People with a settled verdict: mask + no_mask + incorrect. */
  decided: number;
  /** People whose verdict is no_mask or incorrect. */
  unmasked: number;
}

export interface AlertState {
  /** Raised and not yet cleared. */
  active: boolean;
  /** When the last alert was raised; null before the first. */
  lastAlertMs: number | null;
}

export type AlertTransition = 'alert' | 'clear';

/** Slack when comparing a fraction to threshold − hysteresis (0.3 − 0.1 is 0.19999… in floats). */
const FRACTION_EPSILON = 1e-9;

export class AlertRule {
  private state: AlertState;

  constructor(
    private readonly opts: AlertOptions,
    state: AlertState = { active: false, lastAlertMs: null },
  ) {
    this.state = { ...state };
  }

  /**
   * Updates the rule with the window at `nowMs`; returns `alert` when it is raised, `clear` when
   * a raised alert clears, and undefined when nothing changes.
   */
  evaluate({ decided, unmasked }: AlertInput, nowMs: number): AlertTransition | undefined {
    const fraction = decided > 0 ? unmasked / decided : 0;
    if (this.state.active) {
      const recovered =
        decided >= this.opts.minPeople && fraction <= this.clearBelow() + FRACTION_EPSILON;
      if (!recovered && decided > 0) return undefined;
      this.state.active = false;
      return 'clear';
    }
    const holds = decided >= this.opts.minPeople && fraction > this.opts.aboveFraction;
    const last = this.state.lastAlertMs;
    const cooling = last !== null && nowMs - last < this.opts.cooldownMs;
    if (!holds || cooling) return undefined;
    this.state = { active: true, lastAlertMs: nowMs };
    return 'alert';
  }

  /** The fraction at or below which a raised alert clears. */
  clearBelow(): number {
    return this.opts.aboveFraction - this.opts.hysteresisFraction;
  }

  snapshot(): AlertState {
    return { ...this.state };
  }
}
