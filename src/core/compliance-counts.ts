/** The counts every compliance report is made of: people by verdict, and what was skipped. */

export interface ComplianceCounts {
  people: number;
  mask: number;
  no_mask: number;
  incorrect: number;
  unknown: number;
}

export interface SkippedCounts {
  /** Faces whose verdict label is none of mask / no_mask / incorrect / unknown. */
  unknownLabels: number;
  /** Faces of tracks that are not confirmed in their frame (tentative, lost, or absent). */
  unconfirmedFaces: number;
  /** Face or track entries without a numeric track id. */
  malformed: number;
}
