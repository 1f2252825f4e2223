/** Counts a numbered stream of events: what arrived, how often, what never did. */
export class DeliveryCount {
  /** Events sent (set by the test). */
  sent = 0;
  /** Every arrival, duplicates included. */
  received = 0;
  private readonly seen = new Map<number, number>();

  /** One event with sequence number `sequence` arrived. */
  record(sequence: number): void {
    this.received++;
    this.seen.set(sequence, (this.seen.get(sequence) ?? 0) + 1);
  }

  /** Distinct sequence numbers that arrived. */
  get distinct(): number {
    return this.seen.size;
  }

  /** Arrivals beyond the first of their sequence number. */
  get duplicated(): number {
    return this.received - this.seen.size;
  }

  /** Sequence numbers 0..sent-1 that never arrived. */
  get lost(): number {
    let lost = 0;
    for (let i = 0; i < this.sent; i++) if (!this.seen.has(i)) lost++;
    return lost;
  }

  /** Whether every sequence number 0..sent-1 arrived at least once. */
  get complete(): boolean {
    return this.distinct >= this.sent && this.lost === 0;
  }

  /** `sent=…, received=…, duplicated=…, lost=…`, for the test log. */
  toString(): string {
    return `sent=${this.sent}, received=${this.received}, duplicated=${this.duplicated}, lost=${this.lost}`;
  }
}
